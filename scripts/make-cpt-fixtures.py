#!/usr/bin/env python3
"""Builds the .cpt fixtures of test/fixtures/component/ from hand-written content (spec §1).

Independent of rmmkit's own writer: the Datto-style archives are packed here byte by byte the way
Java's ZipOutputStream does (deflate level 6, raw, window 15, memLevel 8 through Python's zlib;
flags 0x0808; CRC and sizes zero in the local header; a signed data descriptor; version 20;
one DOS timestamp), so tests can show rmmkit rebuilds an archive it did not write.
One fixture is an ordinary zip (zipfile: flags 0, stored entries, another order).
Run: python3 scripts/make-cpt-fixtures.py   (deterministic; rewrites the fixtures)
"""
import os
import struct
import zlib
import zipfile

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "component")
BOGUS_ICON = bytes([0x9E, 0xE9, 0x65])  # base64 of "null": no icon chosen


def png(width, height, color_type, trns=False):
    """A tiny valid PNG: RGBA (6) or RGB (2), every pixel transparent/black."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    channels = {2: 3, 6: 4}[color_type]
    raw = b"".join(b"\x00" + b"\x00" * (width * channels) for _ in range(height))
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0))
    if trns:
        out += chunk(b"tRNS", b"\x00\x00\x00\x00\x00\x00")
    return out + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def dos(y, mo, d, h, mi, s):
    return ((y - 1980) << 9) | (mo << 5) | d, (h << 11) | (mi << 5) | (s // 2)


def java_zip(entries, stamp):
    """Java ZipOutputStream's layout, written by hand."""
    date, time = stamp
    out = bytearray()
    central = bytearray()
    for name, data in entries:
        n = name.encode("utf-8")
        c = zlib.compressobj(6, zlib.DEFLATED, -15, 8)
        comp = c.compress(data) + c.flush()
        crc = zlib.crc32(data) & 0xFFFFFFFF
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x0808, 8, time, date, 0, 0, 0, len(n), 0) + n
        out += comp + struct.pack("<IIII", 0x08074B50, crc, len(comp), len(data))
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x0808, 8, time, date,
                               crc, len(comp), len(data), len(n), 0, 0, 0, 0, 0, offset) + n
    cd_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), cd_offset, 0)
    return bytes(out)


# --- legacy layout, scripts, PowerShell: map with an empty option and &gt;, booleans, both empty
# defaultVal spellings, two post-conditions, raw CRLF and CR in the description, a CRLF body
# without a trailing newline, the bogus 3-byte icon, a 32-hex <hash>.
LEGACY_XML = (
    "<component info='CentraStage Component'>\n"
    "  <general>\n"
    "    <name>Widget Agent - Configure [WIN]</name>\n"
    "    <category>scripts</category>\n"
    "    <description>Sets the widget mode.\r\nRuns as SYSTEM; \"quotes\" and caf\u00e9 stay raw, 2 &gt; 1.\rEnd.</description>\n"
    "    <uid>0b7e3c1a-5d2f-4e8a-9c41-7f2d6b9e0a13</uid>\n"
    "    <hash>5f3a9c0e7b21d48a6c9e0f1b2a3d4c5e</hash>\n"
    "    <version>3</version>\n"
    "    <timeout>600</timeout>\n"
    "    <securityLevel>2</securityLevel>\n"
    "    <installType>powershell</installType>\n"
    "  </general>\n"
    "  <variable idx='0'>\n"
    "    <name>WidgetMode</name>\n"
    "    <selectionKeyValue idx='0'>\n"
    "      <name>Default (leave as is)</name>\n"
    "      <value />\n"
    "    </selectionKeyValue>\n"
    "    <selectionKeyValue idx='1'>\n"
    "      <name>Fast &gt; safe</name>\n"
    "      <value>fast</value>\n"
    "    </selectionKeyValue>\n"
    "    <type>map</type>\n"
    "    <direction>false</direction>\n"
    "    <description>How the widget runs</description>\n"
    "    <defaultVal>Default (leave as is)</defaultVal>\n"
    "  </variable>\n"
    "  <variable idx='1'>\n"
    "    <name>Verbose</name>\n"
    "    <type>boolean</type>\n"
    "    <direction>false</direction>\n"
    "    <description />\n"
    "    <defaultVal>false</defaultVal>\n"
    "  </variable>\n"
    "  <variable idx='2'>\n"
    "    <name>ForceRestartService</name>\n"
    "    <type>boolean</type>\n"
    "    <direction>false</direction>\n"
    "    <description>Restart the widget service afterwards</description>\n"
    "    <defaultVal></defaultVal>\n"
    "  </variable>\n"
    "  <variable idx='3'>\n"
    "    <name>Tag</name>\n"
    "    <type>string</type>\n"
    "    <direction>false</direction>\n"
    "    <description>Free text</description>\n"
    "    <defaultVal />\n"
    "  </variable>\n"
    "  <postCondition idx='0'>\n"
    "    <consequence>warn</consequence>\n"
    "    <resource>stdout</resource>\n"
    "    <text>WARNING:</text>\n"
    "    <qualifier>found</qualifier>\n"
    "  </postCondition>\n"
    "  <postCondition idx='1'>\n"
    "    <consequence>warn</consequence>\n"
    "    <resource>stderr</resource>\n"
    "    <text>Access is denied</text>\n"
    "    <qualifier>found</qualifier>\n"
    "  </postCondition>\n"
    "</component>"
)
LEGACY_BODY = (
    "# Configure the widget agent; inputs arrive as environment variables.\r\n"
    "$mode = $env:WidgetMode\r\n"
    "if ($env:Verbose -eq 'true') { Write-Host \"mode: $mode\" }\r\n"
    "Write-Host 'done'"
)

# --- current layout, applications: uninstallType (empty), an attachment, an LF body with a
# trailing newline, a real 48x48 RGBA icon, an element rmmkit does not know (kept in place).
CURRENT_APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
    '<component info="CentraStage Component">\n'
    "    <general>\n"
    "        <name>Widget Agent - Install [WIN]</name>\n"
    "        <category>applications</category>\n"
    "        <description>Installs the widget agent from the attached MSI.</description>\n"
    "        <uid>2c9d4e6f-1a3b-4c5d-8e7f-9a0b1c2d3e4f</uid>\n"
    "        <hash/>\n"
    "        <version>1</version>\n"
    "        <timeout>3600</timeout>\n"
    "        <securityLevel>3</securityLevel>\n"
    "        <installType>powershell</installType>\n"
    "        <uninstallType/>\n"
    "    </general>\n"
    "    <variable idx=\"0\">\n"
    "        <name>LicenceKey</name>\n"
    "        <type>string</type>\n"
    "        <direction>false</direction>\n"
    "        <description>16-character licence key</description>\n"
    "        <defaultVal/>\n"
    "    </variable>\n"
    "    <futureSetting mode=\"x\">\n"
    "        <inner>kept &amp; in place</inner>\n"
    "    </futureSetting>\n"
    "</component>"
)
CURRENT_APP_BODY = (
    "$ErrorActionPreference = 'Stop'\n"
    "$msi = Join-Path $PWD 'widget-agent.msi'\n"
    "$p = Start-Process msiexec.exe -ArgumentList @('/i', $msi, '/qn', \"LICENCE=$env:LicenceKey\") -Wait -PassThru\n"
    "exit $p.ExitCode\n"
)
ATTACHMENT = bytes((i * 7 + 3) % 256 for i in range(5000))

# --- current layout, monitor: unix body with a shebang and the result markers, LF, no trailing
# newline; an output variable (direction true).
MONITOR_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
    '<component info="CentraStage Component">\n'
    "    <general>\n"
    "        <name>Widget Agent - Status [LIN]</name>\n"
    "        <category>monitors</category>\n"
    "        <description>Alerts when the widget daemon is not running.</description>\n"
    "        <uid>7a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d</uid>\n"
    "        <hash/>\n"
    "        <version>2</version>\n"
    "        <timeout>60</timeout>\n"
    "        <securityLevel>1</securityLevel>\n"
    "        <installType>unix</installType>\n"
    "    </general>\n"
    "    <variable idx=\"0\">\n"
    "        <name>Status</name>\n"
    "        <type>string</type>\n"
    "        <direction>true</direction>\n"
    "        <description>Monitor result</description>\n"
    "        <defaultVal/>\n"
    "    </variable>\n"
    "</component>"
)
MONITOR_BODY = (
    "#!/bin/sh\n"
    "if pgrep -x widgetd >/dev/null 2>&1; then s=running; rc=0; else s=stopped; rc=1; fi\n"
    "echo '<-Start Result->'\n"
    "echo \"Status=$s\"\n"
    "echo '<-End Result->'\n"
    "exit $rc"
)

# --- legacy layout, batch: CRLF body with a trailing newline, no icon entry at all.
BATCH_XML = (
    "<component info='CentraStage Component'>\n"
    "  <general>\n"
    "    <name>Widget Agent - Flush cache [WIN]</name>\n"
    "    <category>scripts</category>\n"
    "    <description>Deletes the widget cache.</description>\n"
    "    <uid>9f8e7d6c-5b4a-4392-8171-605f4e3d2c1b</uid>\n"
    "    <hash />\n"
    "    <version>1</version>\n"
    "    <timeout>60</timeout>\n"
    "    <securityLevel>1</securityLevel>\n"
    "    <installType>batch</installType>\n"
    "  </general>\n"
    "</component>"
)
BATCH_BODY = "@echo off\r\nrd /s /q \"%ProgramData%\\Widget\\cache\" 2>nul\r\necho flushed\r\n"


def main():
    os.makedirs(OUT, exist_ok=True)
    icon48 = png(48, 48, 6)
    fixtures = {
        "legacy-scripts.cpt": (java_zip([
            ("command.bat", LEGACY_BODY.encode()), ("resource.xml", LEGACY_XML.encode()),
            ("icon.png", BOGUS_ICON)], dos(2023, 4, 17, 9, 41, 26))),
        "current-applications.cpt": (java_zip([
            ("command.bat", CURRENT_APP_BODY.encode()), ("resource.xml", CURRENT_APP_XML.encode()),
            ("icon.png", icon48), ("widget-agent.msi", ATTACHMENT)], dos(2025, 2, 3, 14, 5, 0))),
        "current-monitor.cpt": (java_zip([
            ("command.bat", MONITOR_BODY.encode()), ("resource.xml", MONITOR_XML.encode()),
            ("icon.png", png(48, 48, 2, trns=True))], dos(2025, 11, 30, 23, 59, 58))),
        "legacy-batch-noicon.cpt": (java_zip([
            ("command.bat", BATCH_BODY.encode()), ("resource.xml", BATCH_XML.encode())],
            dos(2021, 6, 1, 0, 0, 0))),
        # Two attachments in non-alphabetical order, as Datto keeps the order they were added in.
        "current-two-attachments.cpt": (java_zip([
            ("command.bat", CURRENT_APP_BODY.encode()), ("resource.xml", CURRENT_APP_XML.encode()),
            ("setup.msi", ATTACHMENT), ("config.json", b'{"server": "widget.example"}\n')],
            dos(2025, 3, 4, 5, 6, 8))),
    }
    for name, data in fixtures.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    # An ordinary zip (Info-ZIP/7-Zip style): stored entries, flags 0, resource.xml first.
    path = os.path.join(OUT, "infozip-stored.cpt")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        for name, data in [("resource.xml", BATCH_XML.encode()), ("icon.png", icon48),
                           ("command.bat", BATCH_BODY.encode())]:
            info = zipfile.ZipInfo(name, date_time=(2022, 1, 2, 3, 4, 6))
            z.writestr(info, data)
    # Bare resource.xml files, to test the XML layer on its own.
    for name, text in [("legacy.resource.xml", LEGACY_XML), ("current.resource.xml", CURRENT_APP_XML)]:
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(text.encode())


if __name__ == "__main__":
    main()
