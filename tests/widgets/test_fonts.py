"""Bundled CJK font: loads, has real glyphs (no tofu), and is the fallback of the app font."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontInfo, QGuiApplication, QImage, QPainter, QRawFont

from resources import fonts
from tests.widgets.imaging import image_array

# The app's own state words and some masked names: all must render from the bundled font.
CJK_SAMPLE = "正常预警超时空闲振铃通话中话后处理休息会议培训离线数据已过期张王李赵刘陈杨黄"


def _render(text: str, family: str, px: int = 48) -> np.ndarray:
    font = QFont()
    font.setFamilies([family])
    font.setPixelSize(px)
    img = QImage(px * len(text) + 20, px * 2, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setFont(font)
    p.setPen(QColor("black"))
    p.drawText(QRectF(img.rect()), int(Qt.AlignmentFlag.AlignCenter), text)
    p.end()
    return image_array(img)


def test_bundled_font_files_are_there_and_small() -> None:
    files = fonts.font_files()
    assert [f.name for f in files] == ["CommandCenterSansSC-Bold.otf", "CommandCenterSansSC-Regular.otf"]
    assert sum(f.stat().st_size for f in files) < 4_000_000


def test_install_registers_the_bundled_family_once(qapp) -> None:
    families = fonts.install_app_fonts()
    assert families == [fonts.BUNDLED_FAMILY]
    assert fonts.install_app_fonts() == families  # idempotent
    assert fonts.BUNDLED_FAMILY in QFontDatabase.families()
    styles = QFontDatabase.styles(fonts.BUNDLED_FAMILY)
    assert "Regular" in styles and "Bold" in styles


def test_bundled_font_has_real_outlines_for_chinese(qapp) -> None:
    for path in fonts.font_files():
        raw = QRawFont(str(path), 48)
        assert raw.isValid(), path
        assert raw.familyName() == fonts.BUNDLED_FAMILY
        for ch in CJK_SAMPLE + "0123456789%:·—ABCxyz":
            assert raw.supportsCharacter(ord(ch)), (path.name, ch)  # the UCS-4 overload
        glyphs = raw.glyphIndexesForString("超时")
        outlines = [raw.pathForGlyph(g) for g in glyphs]
        assert all(not o.isEmpty() for o in outlines)
        # Tofu would be the same box for every character; real glyphs differ.
        assert outlines[0].boundingRect() != outlines[1].boundingRect() or \
            outlines[0].elementCount() != outlines[1].elementCount()


def test_text_renders_from_the_bundled_family_alone(qapp, shots) -> None:
    fonts.install_app_fonts()
    font = QFont()
    font.setFamilies([fonts.BUNDLED_FAMILY])
    assert QFontInfo(font).family() == fonts.BUNDLED_FAMILY
    a, b = _render("正常", fonts.BUNDLED_FAMILY), _render("超时", fonts.BUNDLED_FAMILY)
    assert (a < 128).any() and (b < 128).any()
    assert np.any(a != b)
    from PySide6.QtGui import QPixmap

    img = QImage(_render(CJK_SAMPLE, fonts.BUNDLED_FAMILY, 32).tobytes(), 32 * len(CJK_SAMPLE) + 20, 64,
                 (32 * len(CJK_SAMPLE) + 20) * 3, QImage.Format.Format_RGB888)
    QPixmap.fromImage(img).save(str(shots / "bundled_font_sample.png"))


def test_bold_face_is_heavier_than_regular(qapp) -> None:
    fonts.install_app_fonts()
    ink = []
    for weight in (QFont.Weight.Normal, QFont.Weight.Bold):
        font = QFont()
        font.setFamilies([fonts.BUNDLED_FAMILY])
        font.setPixelSize(48)
        font.setWeight(weight)
        img = QImage(400, 100, QImage.Format.Format_RGB32)
        img.fill(QColor("white"))
        p = QPainter(img)
        p.setFont(font)
        p.setPen(QColor("black"))
        p.drawText(QRectF(img.rect()), int(Qt.AlignmentFlag.AlignCenter), "超时预警")
        p.end()
        ink.append(float((image_array(img) < 128).mean()))
    assert ink[1] > ink[0] * 1.2


def test_app_font_prefers_the_system_cjk_font_and_falls_back_to_the_bundled_one(qapp, cjk_font) -> None:
    families = fonts.ui_families()
    assert families[-1] == fonts.BUNDLED_FAMILY
    assert families == [f for f in fonts.PREFERRED_FAMILIES if f in families]  # preference order
    assert QGuiApplication.font().families() == families
    if "Noto Sans CJK SC" in QFontDatabase.families():
        assert families[0] == "Noto Sans CJK SC"
    sized = fonts.app_font(30)
    assert sized.pixelSize() == 30 and sized.families() == families


def test_a_broken_font_file_is_skipped_with_a_log_line(qapp, tmp_path, caplog) -> None:
    (tmp_path / "broken.ttf").write_bytes(b"not a font at all")
    (tmp_path / "notes.txt").write_text("ignored")
    with caplog.at_level(logging.WARNING, logger="resources.fonts"):
        assert fonts.install_app_fonts(tmp_path) == []
    assert any("broken.ttf" in r.getMessage() for r in caplog.records)


def test_install_needs_an_application(monkeypatch) -> None:
    monkeypatch.setattr(QGuiApplication, "instance", staticmethod(lambda: None))
    with pytest.raises(RuntimeError, match="QGuiApplication"):
        fonts.install_app_fonts()


_NO_CJK_PROBE = r"""
import json, sys
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QApplication

app = QApplication([])

def render(text, font):
    img = QImage(200, 80, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    f = QFont(font)
    f.setPixelSize(48)
    p.setFont(f)
    p.setPen(QColor("black"))
    p.drawText(QRectF(img.rect()), int(Qt.AlignmentFlag.AlignCenter), text)
    p.end()
    return bytes(img.constBits())

out = {"cjk_families": [f for f in QFontDatabase.families() if "CJK" in f or "SC" in f]}
plain = QFont()
out["plain_has_glyph"] = QFontMetrics(plain).inFontUcs4(ord("超"))
out["plain_distinct"] = render("正常", plain) != render("超时", plain)
from resources.fonts import apply_app_font, ui_families
font = apply_app_font(app)
out["families"] = ui_families()
out["app_has_glyph"] = QFontMetrics(font).inFontUcs4(ord("超"))
out["app_distinct"] = render("正常", font) != render("超时", font)
print(json.dumps(out))
"""


def test_chinese_renders_on_a_machine_without_cjk_fonts(tmp_path) -> None:
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    # A fontconfig that sees only DejaVu (Latin): the machine "has no CJK fonts".
    dirs = "".join(f"<dir>{d}</dir>" for d in ["/usr/share/fonts/truetype/dejavu"] if Path(d).is_dir())
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
                    f"<fontconfig>{dirs}<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", _NO_CJK_PROBE], env=env, capture_output=True,
                          text=True, timeout=120, cwd=Path(fonts.__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["cjk_families"] == []
    # Control: without our font Chinese is tofu, every character the same box.
    assert out["plain_has_glyph"] is False and out["plain_distinct"] is False
    # With it, real glyphs.
    assert out["families"] == [fonts.BUNDLED_FAMILY]
    assert out["app_has_glyph"] is True and out["app_distinct"] is True
