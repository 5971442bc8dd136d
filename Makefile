# Two entry points for a fresh machine (run as root):
#   make deploy   deploy with site.yml; creates the local kind cluster when KUBECONFIG is unset
#   make test     every test: lint, sanity, unit, the offline cluster, every Molecule scenario
# The rest are their parts. Build caches live in $(CACHE) (STATEFUL_MYSQL_CACHE overrides).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
CACHE ?= $(or $(STATEFUL_MYSQL_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/stateful-mysql-test-infra)
export STATEFUL_MYSQL_CACHE := $(CACHE)
VENV = $(shell test-infra/python/venv.sh)
CLUSTER = test-infra/kind/cluster.sh

.PHONY: deploy test venv cluster cluster-delete lint sanity unit molecule build bench

deploy:
	test-infra/deploy.sh $(ARGS)

test:
	test-infra/test-all.sh

venv:
	@echo $(VENV)

cluster:
	$(CLUSTER) up

cluster-delete:
	$(CLUSTER) down

lint:
	test-infra/lint.sh

sanity:
	test-infra/sanity.sh

unit:
	test-infra/unit.sh

molecule:
	test-infra/molecule.sh

build:
	test-infra/build-collection.sh

bench:
	test-infra/bench/run.sh
