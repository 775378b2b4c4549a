"""Prints each failed test of the given TRX reports with its message and the top of its stack trace.

Used by infra/scripts/test.sh so that the end of a CI log names what failed, however much output came before.
"""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
FAILED = {"Failed", "Error", "Timeout", "Aborted"}
MESSAGE_LINES = 12
STACK_LINES = 6


def clip(text, lines):
    kept = (text or "").strip().splitlines()
    more = len(kept) - lines
    return kept[:lines] + ([f"... ({more} more lines)"] if more > 0 else [])


def main(paths):
    failures = 0
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except (ET.ParseError, OSError) as error:
            print(f"(could not read {path}: {error})")
            continue
        for result in root.iterfind(".//t:UnitTestResult", NS):
            if result.get("outcome") not in FAILED:
                continue
            failures += 1
            print(f"FAILED {result.get('testName')} ({result.get('outcome')}, {result.get('duration')})")
            info = result.find("t:Output/t:ErrorInfo", NS)
            if info is not None:
                for line in clip(info.findtext("t:Message", default="", namespaces=NS), MESSAGE_LINES):
                    print(f"    {line}")
                for line in clip(info.findtext("t:StackTrace", default="", namespaces=NS), STACK_LINES):
                    print(f"    {line}")
    return failures


if __name__ == "__main__":
    main(sys.argv[1:])
