//! The analysis of a realistic champion call, snapshot-tested: any change in what the
//! analysis finds shows up as a readable diff.

use replique_core::champion::{analyse_call, infer_champion, parse_call};

#[test]
fn a_realistic_call_is_analysed() {
    let text = include_str!("fixtures/appel_champion.txt");
    let turns = parse_call(text).expect("the call reads");
    let champion = infer_champion(&turns).expect("a champion");
    assert_eq!(champion, "Julie Moreau");
    let analysis = analyse_call(&turns, &champion);
    insta::assert_snapshot!("appel_champion", serde_json::to_string_pretty(&analysis).expect("json"));
    assert_eq!(analysis.objections.len(), 1);
    assert!(analysis.objections[0].cnz.len() >= 2, "{:?}", analysis.objections[0]);
}
