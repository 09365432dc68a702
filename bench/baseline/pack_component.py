"""Minimal .cpt packer: the Python baseline of bench/startup.ts (not part of rmmkit).

Reads a component source folder whose metadata the bench has written as component.json (the
standard library has no YAML reader), builds resource.xml with ElementTree and writes the zip with
zipfile: command.bat, resource.xml, icon.png, then the attachments, every entry deflated.
"""
import json
import os
import sys
import zipfile
import xml.etree.ElementTree as ET


def main(src, out):
    with open(os.path.join(src, "component.json"), encoding="utf-8") as f:
        meta = json.load(f)
    root = ET.Element("component", info="CentraStage Component")
    general = ET.SubElement(root, "general")
    for key, value in meta["general"].items():
        ET.SubElement(general, key).text = value
    for i, var in enumerate(meta.get("variables", [])):
        v = ET.SubElement(root, "variable", idx=str(i))
        for key in ("name", "type", "direction", "description", "defaultVal"):
            ET.SubElement(v, key).text = var.get(key, "")
    xml = b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + ET.tostring(root, encoding="utf-8")
    with open(os.path.join(src, meta["script"]), "rb") as f:
        body = f.read()
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("command.bat", body)
        z.writestr("resource.xml", xml)
        icon = os.path.join(src, "icon.png")
        if os.path.exists(icon):
            z.write(icon, "icon.png")
        attachments = os.path.join(src, "attachments")
        if os.path.isdir(attachments):
            for name in sorted(os.listdir(attachments)):
                z.write(os.path.join(attachments, name), name)
    os.replace(tmp, out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
