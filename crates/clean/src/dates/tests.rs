use super::*;

fn utc(s: &str) -> Option<String> {
    parse_str(s, &TimeZone::UTC).map(|t| t.to_string())
}

#[test]
fn dates_are_found_in_short_visible_texts() {
    let find = |s: &str| find_in_text(s, &TimeZone::UTC).map(|t| t.to_string());
    assert_eq!(
        find("Jun 08, 2023 • 11 Minute Read").as_deref(),
        Some("2023-06-08T00:00:00Z")
    );
    assert_eq!(
        find("Posted on 12 March 2024 by Kim").as_deref(),
        Some("2024-03-12T00:00:00Z")
    );
    assert_eq!(
        find("发布于 2021年4月24日").as_deref(),
        Some("2021-04-24T00:00:00Z")
    );
    assert_eq!(
        find("Last updated on: October 1, 2025").as_deref(),
        Some("2025-10-01T00:00:00Z")
    );
    assert_eq!(
        find("Updated Feb. 27, 2025").as_deref(),
        Some("2025-02-27T00:00:00Z")
    );
    assert_eq!(
        find("19 Dec, 2025").as_deref(),
        Some("2025-12-19T00:00:00Z")
    );
    // Other languages' months, and a weekday and time after the date (five words).
    assert_eq!(
        find("Von Christian Thiele , 25. Dezember 2022").as_deref(),
        Some("2022-12-25T00:00:00Z")
    );
    assert_eq!(
        find("Publicado el 12 de marzo de 2024").as_deref(),
        Some("2024-03-12T00:00:00Z")
    );
    assert_eq!(
        find("By: FlowGuard EMEA on 04-ago-2021 5:11:10").as_deref(),
        Some("2021-08-04T00:00:00Z")
    );
    assert_eq!(
        find("日期：Sat, 27 Jun 2020 03:57:33 +0000").as_deref(),
        Some("2020-06-27T03:57:33Z")
    );
    assert_eq!(find("11 min read"), None);
    assert_eq!(find("Top 10 of 2024"), None);
}

#[test]
fn archive_forms_parse_to_utc() {
    let cases = [
        ("Sun, 14 Nov 2021 01:13:25 GMT", "2021-11-14T01:13:25Z"),
        ("2021-04-24T02:56:28.687Z", "2021-04-24T02:56:28.687Z"),
        (
            "2020-03-17 20:23:22.000000000 +08:00",
            "2020-03-17T12:23:22Z",
        ),
        ("2020-03-31 12:00:00 +0000", "2020-03-31T12:00:00Z"),
        ("2021-03-22 04:50:45", "2021-03-22T04:50:45Z"),
        ("2021-04-24", "2021-04-24T00:00:00Z"),
        ("2021年4月24日", "2021-04-24T00:00:00Z"),
        ("2021年04月24日 10:30", "2021-04-24T10:30:00Z"),
        ("2024-02-08T00:00:00+00:00", "2024-02-08T00:00:00Z"),
        (
            "2024-03-05T10:00:00+08:00[Asia/Shanghai]",
            "2024-03-05T02:00:00Z",
        ),
        ("1619281500000", "2021-04-24T16:25:00Z"),
        ("March 5, 2024", "2024-03-05T00:00:00Z"),
        ("2019-02-22 00:00:00 UTC", "2019-02-22T00:00:00Z"),
    ];
    for (input, want) in cases {
        assert_eq!(utc(input).as_deref(), Some(want), "{input}");
    }
}

#[test]
fn naive_times_use_the_configured_zone() {
    let shanghai = TimeZone::get("Asia/Shanghai").unwrap();
    assert_eq!(
        parse_str("2021-03-22 12:00:00", &shanghai)
            .unwrap()
            .to_string(),
        "2021-03-22T04:00:00Z"
    );
}

#[test]
fn slashed_dates_are_read_only_when_one_order_is_a_date() {
    let zone = TimeZone::UTC;
    let day = |raw: &str| parse_str(raw, &zone).map(|d| d.to_string());
    assert_eq!(day("2/24/2026").as_deref(), Some("2026-02-24T00:00:00Z"));
    assert_eq!(day("24/2/2026").as_deref(), Some("2026-02-24T00:00:00Z"));
    assert_eq!(day("5/5/2026").as_deref(), Some("2026-05-05T00:00:00Z"));
    assert_eq!(day("3/4/2026"), None);
    assert_eq!(day("13/14/2026"), None);
    assert_eq!(day("2/30/2026"), None);
    assert_eq!(day("1/2/3/2026"), None);
    // Datelines leave the text either way; only the readable one dates the article.
    let mut rfi = vec!["30/06/2020 - 23:05".to_owned(), "正文。".to_owned()];
    assert_eq!(
        take_date_lines(&mut rfi, &zone)
            .map(|d| d.to_string())
            .as_deref(),
        Some("2020-06-30T00:00:00Z")
    );
    assert_eq!(rfi, ["正文。"]);
    let mut ambiguous = vec!["05/06/2020 - 23:05".to_owned(), "正文。".to_owned()];
    assert_eq!(take_date_lines(&mut ambiguous, &zone), None);
    assert_eq!(ambiguous, ["正文。"]);
}

#[test]
fn a_publish_label_names_the_date_after_it_and_a_change_label_does_not() {
    let zone = TimeZone::UTC;
    let at = |line: &str| labeled_date(line, &zone).map(|d| d.to_string());
    assert_eq!(
        at("来源：东方日报　作者：李明　发布时间：2006-4-12 9:35:21　点击数：1024").as_deref(),
        Some("2006-04-12T09:35:21Z")
    );
    assert_eq!(
        at("發表於 2008-03-01").as_deref(),
        Some("2008-03-01T00:00:00Z")
    );
    assert_eq!(
        at("Posted on March 3, 2024 by Jane").as_deref(),
        Some("2024-03-03T00:00:00Z")
    );
    assert_eq!(
        at("Posted on the 15/12/2025 at 19:00 by @gomez").as_deref(),
        Some("2025-12-15T00:00:00Z")
    );
    // The date must follow the label; a change is not a publish date.
    assert_eq!(at("发布时间：见下文 2006-4-12"), None);
    assert_eq!(at("Last update date: 2024-03-01"), None);
    assert_eq!(at("Posted in News"), None);
    // A change label names the last change.
    let changed = |line: &str| match date_label(line)? {
        Label::Changed(rest) => opening_date(rest, &zone).map(|d| d.to_string()),
        Label::Published(_) => None,
    };
    assert_eq!(
        changed("Last updated: November 13, 2025").as_deref(),
        Some("2025-11-13T00:00:00Z")
    );
    assert_eq!(
        changed("更新时间：2006-8-21 20:31:05").as_deref(),
        Some("2006-08-21T20:31:05Z")
    );
    assert_eq!(changed("Posted on March 3, 2024"), None);
}

#[test]
fn datelines_and_labelled_lines_at_the_start_leave_the_text() {
    let zone = TimeZone::UTC;
    let mut blog = vec![
        "2007年3月18日 星期日 天氣：晴".to_owned(),
        "三月中旬，聽說陽明山的櫻花開了。".to_owned(),
    ];
    assert_eq!(
        take_date_lines(&mut blog, &zone)
            .map(|d| d.to_string())
            .as_deref(),
        Some("2007-03-18T00:00:00Z")
    );
    assert_eq!(blog, ["三月中旬，聽說陽明山的櫻花開了。"]);
    let mut portal = vec![
        "导语。".to_owned(),
        "来源：东方日报 发布时间：2006-4-12 9:35:21 点击数：1024".to_owned(),
        "正文。".to_owned(),
    ];
    assert!(take_date_lines(&mut portal, &zone).is_some());
    assert_eq!(portal, ["导语。", "正文。"]);
    let mut homepage = vec!["文/清风　2003年5月20日".to_owned(), "小时候。".to_owned()];
    assert!(take_date_lines(&mut homepage, &zone).is_some());
    assert_eq!(homepage, ["小时候。"]);
    // A sentence that opens with a date is the story's.
    let mut story = vec!["2020年3月1日，武汉的方舱医院开始陆续休舱。".to_owned()];
    assert_eq!(take_date_lines(&mut story, &zone), None);
    assert_eq!(story.len(), 1);
}

#[test]
fn dates_outside_1800_to_2199_are_not_dates_wherever_they_are_read() {
    let zone = TimeZone::UTC;
    for raw in [
        "0001-01-01",
        "9999-12-31T23:59:59Z",
        "-99999999999",
        "2610-05-01",
        "1799-12-31T23:59:59Z",
    ] {
        assert_eq!(parse_str(raw, &zone), None, "{raw}");
    }
    assert_eq!(
        parse_value(&serde_json::json!(-99_999_999_999_i64), &zone),
        None
    );
    assert_eq!(from_file_name("0001-01-01-post.md", &zone), None);
    assert_eq!(from_path("9999/12/31/post", &zone), None);
    for raw in ["1800-01-01", "2199-12-31T23:59:59Z", "1851-09-18"] {
        assert!(parse_str(raw, &zone).is_some(), "{raw}");
    }
}

#[test]
fn nonsense_does_not_parse() {
    assert_eq!(utc("last Tuesday"), None);
    assert_eq!(utc(""), None);
}

#[test]
fn the_offset_a_date_was_written_with_is_kept() {
    let offset = |s: &str| parse_str(s, &TimeZone::UTC).map(|d| d.offset_minutes);
    assert_eq!(
        offset("2020-03-26 09:23:14.000000000 +08:00"),
        Some(Some(480))
    );
    assert_eq!(offset("2015-05-04T13:36:31+02:00"), Some(Some(120)));
    assert_eq!(offset("2024-03-05T10:00:00-05:30"), Some(Some(-330)));
    assert_eq!(
        offset("2024-03-05T10:00:00+08:00[Asia/Shanghai]"),
        Some(Some(480))
    );
    assert_eq!(offset("Sun, 14 Nov 2021 01:13:25 GMT"), Some(Some(0)));
    assert_eq!(offset("2021-04-24T02:56:28.687Z"), Some(Some(0)));
    assert_eq!(offset("2022-05-05T22:12:00 UTC"), Some(Some(0)));
    // No zone written (the configured one is assumed), or a count of seconds: unknown.
    assert_eq!(offset("2021-04-24 10:30"), Some(None));
    assert_eq!(offset("2021年4月24日"), Some(None));
    assert_eq!(offset("1619281500000"), Some(None));
    let shanghai = TimeZone::get("Asia/Shanghai").unwrap();
    let naive = parse_str("2021-04-24 10:30", &shanghai).unwrap();
    assert_eq!(
        (naive.at.to_string(), naive.offset_minutes),
        ("2021-04-24T02:30:00Z".into(), None)
    );
}

#[test]
fn ordinal_days_and_day_first_dotted_dates_read() {
    for (raw, day) in [
        ("September 1st, 2023", "2023-09-01"),
        ("December 19th, 2025", "2025-12-19"),
        ("22nd March 2024", "2024-03-22"),
        ("17.05.2021", "2021-05-17"),
    ] {
        assert_eq!(utc(raw), Some(format!("{day}T00:00:00Z")), "{raw}");
    }
    // A model name or a version is not a date.
    assert_eq!(utc("1st 2023"), None);
    assert_eq!(utc("31.13.2021"), None);
}

#[test]
fn paragraphs_of_only_a_date_leave_the_start_and_end_and_date_the_text() {
    let mut paragraphs: Vec<String> = [
        "2020-07-18T12:36:31.360Z",
        "2021年4月24日",
        "Shares fell 3% on 2020-07-18, the lowest since March.",
        "2020",
        "Posted 2021-04-24 10:30",
        "2021-04-24 10:30",
    ]
    .map(String::from)
    .to_vec();
    let date = take_date_lines(&mut paragraphs, &TimeZone::UTC);
    assert_eq!(
        date.map(|d| d.to_string()).as_deref(),
        Some("2020-07-18T12:36:31.36Z")
    );
    // A date inside a sentence, a bare year and a labelled date stay text.
    assert_eq!(
        paragraphs,
        [
            "Shares fell 3% on 2020-07-18, the lowest since March.",
            "2020",
            "Posted 2021-04-24 10:30"
        ]
    );
    let mut only = vec!["2019-01-01".to_owned()];
    assert!(take_date_lines(&mut only, &TimeZone::UTC).is_some() && only.is_empty());
}

#[test]
fn file_name_and_body_marker_fallbacks() {
    assert_eq!(
        from_file_name("2017-12-21-rust-in-2017.md", &TimeZone::UTC)
            .unwrap()
            .to_string(),
        "2017-12-21T00:00:00Z"
    );
    assert_eq!(from_file_name("1.94.1-release.md", &TimeZone::UTC), None);
    assert_eq!(
        from_body_marker("<!--1619281500000-->\n[x](y)")
            .unwrap()
            .to_string(),
        "2021-04-24T16:25:00Z"
    );
    assert_eq!(from_body_marker("<!-- note -->"), None);
    assert_eq!(
        from_path("2022/02/15/Rust-Survey-2021", &TimeZone::UTC)
            .unwrap()
            .to_string(),
        "2022-02-15T00:00:00Z"
    );
    assert_eq!(
        from_path("https://a.example/2020/13/01/x", &TimeZone::UTC),
        None
    );
    assert_eq!(from_path("releases/1.94.1", &TimeZone::UTC), None);
}
