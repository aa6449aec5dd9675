"""Refresh the user guide's pictures from `binhan screenshots`.

    uv run python docs/guide/update_images.py               # renders every screen again (a few minutes)
    uv run python docs/guide/update_images.py --from DIR    # uses shots already rendered into DIR/<lang>/

Every picture a guide names (`images/<lang>/<name>.png` in `<lang>.md`) is taken from the
screenshot of the same name (`<lang>/NN-<name>.png`), made WIDTH pixels wide at most and
reduced to 256 colours, so the guide stays small enough to ship in the installer. Pictures
no guide names any more are removed. The screenshots are of the demo node: invented names only.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WIDTH = 1000
IMAGE = re.compile(r"!\[[^\]]*\]\((images/(vi|en)/([\w-]+)\.png)\)")


def wanted(lang: str) -> list[str]:
    """The picture names the guide in `lang` refers to, in order."""
    text = (HERE / f"{lang}.md").read_text(encoding="utf-8")
    return list(dict.fromkeys(m.group(3) for m in IMAGE.finditer(text) if m.group(2) == lang))


def shrink(source: Path, target: Path) -> None:
    from PIL import Image

    with Image.open(source) as image:
        image = image.convert("RGB")
        if image.width > WIDTH:
            image = image.resize((WIDTH, round(image.height * WIDTH / image.width)), Image.Resampling.LANCZOS)
        image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        target.parent.mkdir(parents=True, exist_ok=True)
        image.save(target, optimize=True)


def copy_pictures(shots: Path) -> list[str]:
    """Copy what the guides name from `shots`; returns the names that had no screenshot."""
    missing = []
    for lang in ("vi", "en"):
        names = wanted(lang)
        found = {p.stem.split("-", 1)[1]: p for p in (shots / lang).glob("*.png")}
        for name in names:
            if name not in found:
                missing.append(f"{lang}/{name}")
                continue
            shrink(found[name], HERE / "images" / lang / f"{name}.png")
        for old in (HERE / "images" / lang).glob("*.png"):
            if old.stem not in names:
                old.unlink()
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="shots", help="screenshots already rendered (the folder holding vi/ and en/)")
    args = parser.parse_args(argv)
    if args.shots:
        missing = copy_pictures(Path(args.shots))
    else:
        sys.path.insert(0, str(HERE.parent.parent))
        from ui.screenshots import main as screenshots

        with tempfile.TemporaryDirectory(prefix="binhan-guide-") as folder:
            if screenshots(Path(folder)) != 0:
                return 1
            missing = copy_pictures(Path(folder))
    for name in missing:
        print(f"no screenshot named {name}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
