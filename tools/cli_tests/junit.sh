#!/usr/bin/env bash
# junit.sh SASIM XSD PASSING FAILING INVALID: `sasim run --junit` over a
# passing, a failing and an invalid scenario, and `sasim fuzz --junit` with a
# broken variant, write JUnit XML that the schema CI servers read accepts
# (xmllint, Debian's libxml2-utils), with the expected suites, cases,
# failures and errors.
set -euo pipefail
sasim=$1 xsd=$2 passing=$3 failing=$4 invalid=$5
command -v xmllint >/dev/null || { echo "xmllint is missing (apt-get install libxml2-utils)"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
set +e
"$sasim" run --junit "$dir/run.xml" "$passing" "$failing" "$invalid" >/dev/null 2>&1
code=$?
set -e
test "$code" = 2  # invalid input wins over a failure
xmllint --noout --schema "$xsd" "$dir/run.xml"
/usr/bin/python3 - "$dir/run.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
suites = root.findall("testsuite")
assert len(suites) == 3, [s.get("name") for s in suites]
ok, failing, invalid = suites
assert ok.get("failures") == "0" and ok.get("errors") == "0"
names = [c.get("name") for c in ok.findall("testcase")]
assert names[0].startswith("step 0: "), names
assert sum(n.startswith("invariant ") for n in names) == 19, names  # every invariant of §8 and §12
assert failing.get("failures") != "0"
failed = [c for c in failing.findall("testcase") if c.find("failure") is not None]
assert failed and "replay: sasim run" in failed[0].find("failure").text, ET.tostring(failed[0])
assert invalid.get("errors") == "1" and invalid.find("testcase/error") is not None
assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites)
print("ok: run --junit:", root.get("tests"), "cases")
PY
# fuzz: a broken variant is found; its shard's case fails with the counterexample.
set +e
"$sasim" fuzz --seed 1 --cases 1000 --broken tokens-keep-orphan-tokens --out "$dir/fuzz" --no-db \
  --junit "$dir/fuzz.xml" >/dev/null 2>&1
code=$?
set -e
test "$code" = 1
xmllint --noout --schema "$xsd" "$dir/fuzz.xml"
grep -q '<failure message="token-secrets-belong-to-live-serviceaccounts' "$dir/fuzz.xml"
grep -q 'replay: sasim run' "$dir/fuzz.xml"
# And a schema that can fail: broken documents are refused.
for bad in "$(dirname "$xsd")/../../tests/junit/"*.xml; do
  if xmllint --noout --schema "$xsd" "$bad" 2>/dev/null; then echo "the schema accepted $bad"; exit 1; fi
done
echo "ok: fuzz --junit, and the schema refuses broken documents"
