#!/usr/bin/env python3
"""Every sandbox persona with a qualification, rendered as the マイナ資格確認アプリ's result text by
the sandbox (its own 和暦 conversion), imported by onshi-check --import-app-text, must give back
the persona's record: each element the text shows, with the same value (dates YYYYMMDD again), and
no element the text does not show besides those onshi says it inferred.

usage: app_text_personas.py ONSHI-SANDBOX ONSHI-CHECK WORKDIR
"""
import json
import os
import subprocess
import sys

# The elements the sandbox's text shows (sandbox/gateway/app_text.cpp), by block.
SHOWN = {"Name", "NameKana", "Birthdate", "Sex1", "InsurerNumber", "InsuredCardSymbol",
         "InsuredIdentificationNumber", "InsuredBranchNumber", "PersonalFamilyClassification",
         "InsuredName", "QualificationDate", "InsuredCardValidDate", "InsuredCardExpirationDate",
         "InsurerName", "Address", "InsuredPartialContributionRatio"}
SHOWN_BLOCKS = {"ElderlyRecipientCertificateInfo": {"ElderlyRecipientCertificateDate", "ElderlyRecipientValidStartDate",
                                                    "ElderlyRecipientValidEndDate", "ElderlyRecipientContributionRatio"},
                "LimitApplicationCertificateRelatedInfo": {"LimitApplicationCertificateClassificationFlag",
                                                           "LimitApplicationCertificateDate",
                                                           "LimitApplicationCertificateValidStartDate",
                                                           "LimitApplicationCertificateValidEndDate"}}


def run(*args, ok=(0,)):
    p = subprocess.run(args, capture_output=True)
    if p.returncode not in ok:
        sys.exit(f"{' '.join(args)}: exit {p.returncode}\n{p.stderr.decode(errors='replace')}")
    return p


def expected_of(record):
    out = {k: v for k, v in record.items() if k in SHOWN and v != ""}
    if "InsurerNumber" in out:
        out["InsurerNumber"] = out["InsurerNumber"].strip()  # the app shows no padding
    for block, members in SHOWN_BLOCKS.items():
        if block in record:
            out[block] = {k: v for k, v in record[block].items() if k in members and v != ""}
    return out


def main():
    sandbox, check, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    personas = [p["id"] for p in json.loads(run(sandbox, "personas", "--json").stdout)["personas"]]
    imported = values = 0
    for persona in personas:
        shown = run(sandbox, "app-text", "--persona", persona, ok=(0, 1))
        if shown.returncode == 1:  # no qualification to show (no record, or not a My Number Card)
            continue
        record = json.loads(run(sandbox, "app-text", "--persona", persona, "--record").stdout)
        path = os.path.join(work, persona + ".txt")
        with open(path, "wb") as f:
            f.write(shown.stdout)
        result = json.loads(run(check, "--json", "--import-app-text", path, ok=(0, 1)).stdout)
        body = result["XmlMsg"]["MessageBody"]
        got = body["ResultList"]["ResultOfQualificationConfirmation"][0]
        want = expected_of(record)
        if got != want:
            differing = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
            sys.exit(f"{persona}: these elements differ: {differing}")  # names only: no personal data
        if result["XmlMsg"]["MessageHeader"].get("QualificationConfirmationDate") != "20261205":
            sys.exit(f"{persona}: 確認日 was not read")
        if result["source"] != "app_text" or result["app_text"]["unmapped"]:
            sys.exit(f"{persona}: source or unmapped lines wrong")
        imported += 1
        values += sum(len(v) if isinstance(v, dict) else 1 for v in want.values())
    if imported < 12:
        sys.exit(f"only {imported} personas imported")
    print(f"[ figures ] app text: {imported} personas, {values} values imported as their records")


if __name__ == "__main__":
    main()
