import json, sys
def write(results, output):
    open(output, "w").write("stub\n")
if __name__ == "__main__":
    write(sys.argv[1], sys.argv[2])
