"""Reading a microdata file: whatever the file is, the loader says what it sees, where (file,
column, rows, the file line an editor shows) and what to do, and the command exits 1 without a
traceback."""

from __future__ import annotations

import gzip
import io
import os
import random
import zipfile

import pytest

from rows import HEADER, non_innovator, valid_rows as rows, workplace
from innobarometer.data import microdata
from innobarometer.data.microdata import DataError, load_microdata


def lines(records=None, sep=",", header=HEADER) -> list[str]:
    """The header and one line per row, values joined by `sep`, no quoting."""
    records = rows() if records is None else records
    return [sep.join(header)] + [sep.join(str(r[c]) for c in header) for r in records]


def text(records=None, sep=",", header=HEADER) -> str:
    return "\n".join(lines(records, sep, header)) + "\n"


def with_value(column, value, row=1):
    records = rows()
    records[row][column] = value
    return records


def utf8(content: str) -> bytes:
    return content.encode("utf-8")


def gzipped() -> bytes:
    return gzip.compress(utf8(text()), mtime=0)


def zipped() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("workplaces.csv", text())
    return buffer.getvalue()


def trailing_separator() -> bytes:
    header, *data = lines()
    return utf8("\n".join([header] + [line + "," for line in data]) + "\n")


def blank_line_before_row_2() -> bytes:
    header, first, *rest = lines(with_value("sector", "kommun"))
    return utf8("\n".join([header, first, "", *rest]) + "\n")


def quoted_line_break_in_row_1() -> bytes:
    records = with_value("sector", "kommun")
    header, first, *rest = lines(records)
    return utf8("\n".join([header, first.replace("A1", '"A\n1"', 1), *rest]) + "\n")


#: name -> (file content, fragments the message must hold)
BAD_FILES = {
    "empty": (b"", ["the file is empty", "header line"]),
    "only blank lines": (b"\n \n\n", ["the file is empty"]),
    "only a BOM": (b"\xef\xbb\xbf", ["only a byte order mark"]),
    "a BOM and a line break": (b"\xef\xbb\xbf\r\n", ["only a byte order mark"]),
    "header only": (utf8(lines()[0] + "\n"), ["header but no rows", "file line 1"]),
    "UTF-16 with BOM": (text().encode("utf-16"), ["UTF-16LE", "iconv -f UTF-16LE -t UTF-8"]),
    "UTF-16 without BOM": (text().encode("utf-16-le"), ["UTF-16LE without a byte order mark", "iconv -f UTF-16LE"]),
    "UTF-16BE with BOM": (text().encode("utf-16-be").join([b"\xfe\xff", b""]), ["UTF-16BE", "iconv -f UTF-16BE"]),
    "gzip": (gzipped(), ["gzip-compressed", "gunzip -k"]),
    "zip or xlsx": (zipped(), ["zip archive", "CSV UTF-8"]),
    "old Excel": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), ["old Excel workbook"]),
    "neither UTF-8 nor Windows-1252": (text(with_value("respondent_id", "A2")).encode().replace(b"A2", b"A\x812"), ["neither UTF-8 nor Windows-1252", "0x81", "file line 3", "iconv -f"]),
    "UTF-8 mixed with Windows-1252": (text(with_value("respondent_id", "Æ2")).encode().replace(b"A1", "Ø1".encode("cp1252")), ["mixes UTF-8 with another encoding", "file line 2", "CSV UTF-8"]),
    "trailing separator": (trailing_separator(), ["ends with a separator", "rows 1, 2, 3, 4, 5, 6 (file lines 2, 3, 4, 5, 6, 7)", "remove the final ','"]),
    "header with trailing separator": (utf8(lines()[0] + ",\n" + "\n".join(lines()[1:]) + "\n"), ["header ends with a separator", "file line 1"]),
    "too many fields": (utf8(text().replace("A2,region", "A2,region,x", 1)), ["row 2 (file line 3)", "has 13 fields, the header 12", "quoted"]),
    "too few fields": (utf8(text().replace("A2,region,", "A2,", 1)), ["row 2 (file line 3)", "has 11 fields"]),
    "unclosed quote": (utf8(text().replace("A2", '"A2', 1)), ["not a well-formed CSV", "file line 3"]),
    "weight named twice": (utf8(text(header=HEADER + ["weight"])), ["column 'weight'", "named 2 times", "fields 3, 13", "keep one"]),
    "no codebook column in the header": (utf8(text(sep="|")), ["names none of the columns", "file line 1", "commas, semicolons or tabs"]),
    "missing column": (utf8(text(header=[c for c in HEADER if c != "latest_quality"])), ["column 'latest_quality'", "missing from the header", "file line 1"]),
    "unknown code after a blank line": (blank_line_before_row_2(), ["column 'sector', row 2 (file line 4)", "'kommun'"]),
    "unknown code after a quoted line break": (quoted_line_break_in_row_1(), ["column 'sector', row 2 (file line 4)"]),
    "line break inside an id": (quoted_line_break_in_row_1(), ["column 'respondent_id', row 1 (file line 2)", "control characters or line breaks", "'A\\n1'"]),
    "NUL inside an id": (utf8(text(with_value("respondent_id", "A\x002"))), ["column 'respondent_id', row 2 (file line 3)", "control characters", "'A\\x002'"]),
    "thousands point in a decimal-comma file": (
        utf8(text(with_value("weight", "1.234", row=0), sep=";").replace("10", "12,5", 1)),
        ["column 'weight', row 1 (file line 2)", "ambiguous number", "'1.234'", "decimal commas"],
    ),
    "thousands point in a semicolon file": (utf8(text(with_value("weight", "1.234"), sep=";")), ["column 'weight', row 2", "ambiguous number", "'1.234'"]),
    "comma in a number of a comma-separated file": (utf8(text(with_value("weight", '"1,5"'))), ["column 'weight', row 2", "ambiguous number", "with a point"]),
    "one weight of 1e300": (utf8(text(with_value("weight", "1e300"))), ["column 'weight', row 2 (file line 3)", "implausible weight", "100%", "'1e300'"]),
    "weights whose total overflows": (
        utf8(text([workplace(f"A{i}", weight="1e308") for i in range(3)])),
        ["column 'weight', rows 1, 2, 3", "overflow"],
    ),
}


def write(tmp_path, content: bytes, name="workplaces.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def message_for(path) -> str:
    with pytest.raises(DataError) as caught:
        load_microdata(path)
    return str(caught.value)


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_file_gets_a_message_naming_file_place_and_fix(tmp_path, case):
    content, fragments = BAD_FILES[case]
    path = write(tmp_path, content)
    message = message_for(path)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_check_data_exits_1_with_the_message_and_no_traceback(tmp_path, monkeypatch, capsys, case):
    content, fragments = BAD_FILES[case]
    monkeypatch.setenv("INNOBAROMETER_DATA", str(write(tmp_path, content)))
    assert microdata.main() == 1
    error = capsys.readouterr().err
    assert fragments[0] in error and "Traceback" not in error


def test_directory_is_named_as_such(tmp_path):
    assert "the path is a directory" in message_for(tmp_path)


def test_fifo_is_named_without_being_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")
    assert "named pipe (FIFO)" in message_for(tmp_path / "pipe.csv")


def test_symlink_loop_is_named(tmp_path):
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    assert "symbolic link that loops" in message_for(tmp_path / "a.csv")


def test_dangling_symlink_names_its_target(tmp_path):
    (tmp_path / "link.csv").symlink_to(tmp_path / "gone.csv")
    message = message_for(tmp_path / "link.csv")
    assert "symbolic link to" in message and "gone.csv" in message and "does not exist" in message


def test_missing_file_is_named(tmp_path):
    assert "the file does not exist" in message_for(tmp_path / "nowhere.csv")


def test_control_characters_in_the_file_name_are_shown_escaped(tmp_path):
    path = write(tmp_path, b"", name="evil\x1b[2J\rname.csv")
    message = message_for(path)
    assert "\x1b" not in message and "\r" not in message and "evil\\x1b[2J\\rname.csv" in message


@pytest.mark.parametrize("sep", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_read(tmp_path, sep):
    frame = load_microdata(write(tmp_path, utf8(text(sep=sep))))
    assert frame["respondent_id"].tolist() == ["A1", "A2", "A3", "A4", "A5", "A6"]


def test_decimal_commas_of_a_danish_export_are_read(tmp_path):
    path = write(tmp_path, utf8(text(with_value("weight", "12,5", row=0), sep=";")))
    assert load_microdata(path)["weight"].tolist() == [12.5] + [10.0] * 5


def test_excel_sep_line_sets_the_separator_and_counts_as_a_file_line(tmp_path):
    path = write(tmp_path, utf8("sep=;\n" + text(with_value("sector", "kommun"), sep=";")))
    assert "column 'sector', row 2 (file line 4)" in message_for(path)


def test_windows_line_endings_and_blank_lines_are_read(tmp_path):
    path = write(tmp_path, utf8(text().replace("\n", "\r\n\r\n")))
    assert len(load_microdata(path)) == 6


def test_dot_decimals_of_a_semicolon_file_without_commas_are_read(tmp_path):
    path = write(tmp_path, utf8(text(with_value("weight", "2.468599"), sep=";")))
    assert load_microdata(path)["weight"].tolist() == [10.0, 2.468599] + [10.0] * 4


def test_weights_within_the_plausible_range_pass(tmp_path):
    path = write(tmp_path, utf8(text(with_value("weight", str(10 * microdata.MAX_WEIGHT_TO_MEDIAN)))))
    assert load_microdata(path)["weight"].max() == 10 * microdata.MAX_WEIGHT_TO_MEDIAN


def test_any_damage_to_a_valid_file_loads_or_gives_a_data_error(tmp_path):
    """Random byte edits (deletions, insertions of separators, quotes, line breaks, NULs, high
    bytes): the loader never fails with anything but its own message."""
    generator = random.Random(15)
    valid = utf8(text())
    for attempt in range(300):
        content = bytearray(valid)
        for _ in range(generator.randint(1, 4)):
            position = generator.randrange(len(content))
            if generator.random() < 0.5:
                del content[position]
            else:
                content.insert(position, generator.choice(b',;\t"\n\r\x00\xff\xc3 e1.'))
        path = write(tmp_path, bytes(content), name=f"damaged-{attempt}.csv")
        try:
            load_microdata(path)
        except DataError:
            pass


def test_ignored_column_names_are_listed_escaped(tmp_path, monkeypatch, capsys):
    records = [r | {"x\x1b[31m": "1"} for r in rows()]
    monkeypatch.setenv("INNOBAROMETER_DATA", str(write(tmp_path, utf8(text(records, header=HEADER + ["x\x1b[31m"])))))
    assert microdata.main() == 0
    assert "ignored: x\\x1b[31m" in capsys.readouterr().out


def symlink_loop(tmp_path):
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    return tmp_path / "a.csv"


def fifo(tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")
    return tmp_path / "pipe.csv"


@pytest.mark.parametrize(
    "make_path, fragment",
    [(symlink_loop, "symbolic link that loops"), (fifo, "named pipe"), (lambda tmp_path: tmp_path, "is a directory"), (lambda tmp_path: tmp_path / "no.csv", "does not exist")],
    ids=["symlink loop", "FIFO", "directory", "missing"],
)
def test_check_data_on_a_path_that_is_no_file_exits_1_without_a_traceback(tmp_path, monkeypatch, capsys, make_path, fragment):
    monkeypatch.setenv("INNOBAROMETER_DATA", str(make_path(tmp_path)))
    assert microdata.main() == 1
    assert fragment in capsys.readouterr().err
