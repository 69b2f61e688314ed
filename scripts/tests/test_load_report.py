from scripts.load_report import format_report


def test_report_totals_each_extract_and_lists_reasons() -> None:
    rows = [
        ("raw_contacts", "clean", None, 90),
        ("raw_contacts", "rejected", "invalid_channel", 3),
        ("raw_contacts", "rejected", "negative_duration", 2),
        ("raw_contacts", "superseded", "superseded_older", 5),
        ("raw_cases", "clean", None, 10),
    ]
    report = format_report(rows).splitlines()
    assert report[3].split() == ["raw_cases", "10", "10", "0", "0"]
    assert report[4].split() == ["raw_contacts", "100", "90", "5", "5"]
    assert [line.split() for line in report[7:]] == [
        ["raw_contacts", "rejected", "invalid_channel", "3"],
        ["raw_contacts", "rejected", "negative_duration", "2"],
        ["raw_contacts", "duplicate", "superseded_older", "5"],
    ]
