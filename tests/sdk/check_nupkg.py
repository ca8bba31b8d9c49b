#!/usr/bin/env python3
"""The Onshi .nupkg (host-sdk/dotnet/Onshi/Onshi.Net.nuspec, packed by nuget): id and version in its
.nuspec, the assembly for .NET Framework 4.5+ byte for byte the one built, its XML docs and mono's
dllmap beside it.   check_nupkg.py NUPKG ASSEMBLY VERSION"""
import sys
import xml.etree.ElementTree as ET
import zipfile

nupkg, assembly, version = sys.argv[1:4]
failures = []
with zipfile.ZipFile(nupkg) as z:
    names = set(z.namelist())
    for wanted in ("Onshi.Net.nuspec", "lib/net45/Onshi.Net.dll", "lib/net45/Onshi.Net.xml", "lib/net45/Onshi.Net.dll.config"):
        if wanted not in names:
            failures.append("missing " + wanted)
    if "lib/net45/Onshi.Net.dll" in names and z.read("lib/net45/Onshi.Net.dll") != open(assembly, "rb").read():
        failures.append("lib/net45/Onshi.Net.dll is not the built assembly")
    if "Onshi.Net.nuspec" in names:
        meta = ET.fromstring(z.read("Onshi.Net.nuspec")).find("{*}metadata")
        for key, value in (("id", "Onshi.Net"), ("version", version)):
            got = meta.findtext("{*}" + key)
            if got != value:
                failures.append("nuspec %s is %r, not %r" % (key, got, value))
for f in failures:
    print("FAIL: " + f)
if not failures:
    print("%s: Onshi.Net %s, lib/net45 (Onshi.Net.dll, Onshi.Net.xml, Onshi.Net.dll.config)" % (nupkg, version))
sys.exit(1 if failures else 0)
