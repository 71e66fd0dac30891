"""Regression tests for kg's extraction rules (the candidates and features of the learned model),
on hand-written sentences (never evaluation text)."""

from __future__ import annotations

import pytest

from tests.conftest import classes, triples

CASES = {
    "possessive_apposition": (
        "Dana Whitcombe has spoken about her son, Oscar, for the first time.",
        {("Dana Whitcombe", "child", "Oscar")}),
    "mum_to_list_with_ages": (
        "Dana Whitcombe, who is also mum to 12-year-old Freya, Toby, 9, and four-year-old Ada, spoke out.",
        {("Dana Whitcombe", "child", "Freya"), ("Dana Whitcombe", "child", "Toby"),
         ("Dana Whitcombe", "child", "Ada")}),
    "list_with_co_parents": (
        "Rhona Mabry is mum to Elliot, 20, and Skye, 17, with her ex-husband Gareth Pryce and "
        "three-year-old Bea, with former partner Callum Ridley.",
        {("Rhona Mabry", "child", "Elliot"), ("Gareth Pryce", "child", "Elliot"),
         ("Gareth Pryce", "child", "Skye"), ("Callum Ridley", "child", "Bea"),
         ("Callum Ridley", "exPartner", "Rhona Mabry"), ("Gareth Pryce", "exPartner", "Rhona Mabry")}),
    "who_plays_in_show": (
        "Tamsin Hale, who plays Gemma Rooke in Emmerdale, has quit.",
        {("Tamsin Hale", "plays", "Gemma Rooke"), ("Gemma Rooke", "characterIn", "Emmerdale"),
         ("Tamsin Hale", "actsIn", "Emmerdale")}),
    "played_by": (
        "Viewers know that Ray Castle is played by Derek Finnegan.",
        {("Derek Finnegan", "plays", "Ray Castle")}),
    "show_role_name": (
        "This Morning hosts Priya Kaul and Jonah Reese opened the show.",
        {("Priya Kaul", "presents", "This Morning"), ("Jonah Reese", "presents", "This Morning")}),
    "show_star_name": (
        "EastEnders star Mina Cole was spotted in London.",
        {("Mina Cole", "actsIn", "EastEnders")}),
    "broadcaster_genre_apposition": (
        "The actor has joined ITV drama, Blackwater Bay, for a second run.",
        {("Blackwater Bay", "broadcastBy", "ITV")}),
    "co_host": (
        "Lena Brook and co-host Marcus Dale laughed on air.",
        {("Lena Brook", "coHost", "Marcus Dale")}),
    "ex_husband": (
        "Carys Vaughan shares a daughter with her ex-husband Owain Price.",
        {("Carys Vaughan", "exPartner", "Owain Price")}),
    "engaged": (
        "Hollyoaks star Niamh Kerr is engaged to her boyfriend Sam Torrance.",
        {("Niamh Kerr", "partner", "Sam Torrance"), ("Niamh Kerr", "actsIn", "Hollyoaks")}),
    "on_screen_family_between_characters": (
        "Bryony Hart, who plays Kelly Dunn in Coronation Street, said her screen husband Rob Dunn was "
        "a gift to play.",
        {("Bryony Hart", "plays", "Kelly Dunn"), ("Kelly Dunn", "spouse", "Rob Dunn")}),
    "creator": (
        "The BBC drama, Harbour Lights, returns next year. Creator Imogen Tate said filming had begun.",
        {("Harbour Lights", "createdBy", "Imogen Tate"), ("Harbour Lights", "broadcastBy", "BBC")}),
    "coordinated_possessive_owner": (
        "Robin Ashdown and her dentist husband Neil Crane are parents to two daughters, Isla and Maeve.",
        {("Robin Ashdown", "spouse", "Neil Crane"), ("Robin Ashdown", "child", "Isla"),
         ("Neil Crane", "child", "Maeve")}),
    "list_with_relative_clause_and_nickname": (
        "Pia Lund and her partner Owen Marr are parents to three-year-old Frederick, whom they call "
        "by his nickname, and nearly one-year-old Wren.",
        {("Pia Lund", "child", "Wren"), ("Owen Marr", "child", "Frederick")}),
    "number_word_age_before_co_parent": (
        "Gemma Toller, who has son Rory, seven, with her ex, Emmerdale actor Lewis Bane, posted a photo.",
        {("Gemma Toller", "child", "Rory"), ("Lewis Bane", "child", "Rory"),
         ("Gemma Toller", "exPartner", "Lewis Bane")}),
    "their_parent_after_listed_children": (
        "Poppy, 12, and eight-year-old Jude flew out with their dad, Martin Oakes, on Friday.",
        {("Martin Oakes", "child", "Poppy"), ("Martin Oakes", "child", "Jude")}),
    "cast_as_a_nicknamed_character": (
        "Colin Brack, who shot to fame as scheming 'Slippery' Sid Moss on the BBC soap, has died.",
        {("Colin Brack", "plays", "Sid Moss")}),
    "cast_as_possessed_kin": (
        "Nadia Rees is still on screen as Sid and Val's adoptive daughter Kerry.",
        {("Nadia Rees", "plays", "Kerry")}),
    "played_screen_kin": (
        "Joan Petty, who played his screen wife Val, paid tribute.",
        {("Joan Petty", "plays", "Val")}),
    "parent_of_his_children_is_co_parent": (
        "Pete Wall has three children, Ana, Ben and Cal, and still adores the mother of his children "
        "Lisa Wall.",
        {("Pete Wall", "child", "Ana"), ("Lisa Wall", "child", "Ben"), ("Lisa Wall", "partner", "Pete Wall")}),
    "actor_kin_statement_goes_to_the_character": (
        "Daniel Oyelaran plays Marcus Cole in Hollyoaks. The 38-year-old actor said his on-screen son "
        "Leo Cole is a handful.",
        {("Daniel Oyelaran", "plays", "Marcus Cole"), ("Marcus Cole", "child", "Leo Cole")}),
    "parallel_possessive_and_described_kin": (
        "Ella Brandt is grieving. Brandt's mother Iris and her father, actor Jon Brandt, split in 1990.",
        {("Iris", "child", "Ella Brandt"), ("Jon Brandt", "child", "Ella Brandt")}),
    "married_couple_have_a_child": (
        "Ella Brandt is married to chef Tom Reyes and they have a son, Milo Reyes, 9.",
        {("Ella Brandt", "spouse", "Tom Reyes"), ("Ella Brandt", "child", "Milo Reyes"),
         ("Tom Reyes", "child", "Milo Reyes")}),
    "children_from_a_previous_marriage": (
        "Ella Brandt also has children Kai, 20, and Zoe, 18, from her first marriage to banker Lars Olsen.",
        {("Ella Brandt", "child", "Kai"), ("Lars Olsen", "child", "Zoe"), ("Ella Brandt", "exPartner", "Lars Olsen")}),
    "alongside_family_on_a_show": (
        "Jake Rudd had appeared on the Channel 4 show Gogglebox since 2015, alongside his mother Sue Rudd and "
        "stepfather Mick Rudd.",
        {("Jake Rudd", "appearsIn", "Gogglebox"), ("Sue Rudd", "appearsIn", "Gogglebox"),
         ("Mick Rudd", "appearsIn", "Gogglebox"), ("Jake Rudd", "coStar", "Mick Rudd"),
         ("Sue Rudd", "child", "Jake Rudd")}),
    "appeared_alongside_in_show": (
        "Love Island star Tia Bloom, who appeared alongside Jake Rudd in a 2016 series of Celebrity Big Brother, "
        "wrote a tribute.",
        {("Tia Bloom", "appearsIn", "Celebrity Big Brother"), ("Jake Rudd", "appearsIn", "Celebrity Big Brother"),
         ("Tia Bloom", "coStar", "Jake Rudd")}),
    "appositive_description_is_the_name_before": (
        "Jake Rudd was a regular. Oscar Penn, the former Strictly professional who also appeared on "
        "Rudd's series of Celebrity Big Brother, said he was shocked.",
        {("Oscar Penn", "appearsIn", "Strictly Come Dancing"), ("Oscar Penn", "appearsIn", "Celebrity Big Brother")}),
    "broadcaster_qualified_description_picks_its_show": (
        "Hollyoaks actress Mia Dunne is back. Her ex, Coronation Street actor Ross Vale, is happy. "
        "Mia Dunne, who plays Tara Bliss in the Channel 4 soap, had a son.",
        {("Tara Bliss", "characterIn", "Hollyoaks"), ("Mia Dunne", "plays", "Tara Bliss")}),
    "character_goes_to_the_article_show_not_the_actor_past_one": (
        "Hollyoaks has cast Ed Mayne. The former EastEnders star plays Jonno Fisk. Hollyoaks fans are thrilled, "
        "and Hollyoaks bosses are too.",
        {("Jonno Fisk", "characterIn", "Hollyoaks"), ("Ed Mayne", "plays", "Jonno Fisk")}),
    "quote_left_open_at_paragraph_end_keeps_speakers_apart": (
        'The channel wrote: "He was part of our family.\n\n"Our thoughts are with his loved ones."\n\n'
        'Stars paid tribute, with soap star Gina Holt writing: "Gone too soon. Good night, my dear friend '
        'Ray Mills. I am gutted."',
        {("Gina Holt", "friend", "Ray Mills")}),
    "co_hosted_with": (
        "Sam Reilly is thrilled. The 41-year-old made the reveal on The One Show, which she co-hosted with "
        "Westlife star Kian Doyle.",
        {("Sam Reilly", "coHost", "Kian Doyle"), ("Kian Doyle", "presents", "The One Show")}),
    "fronted_alongside_phrase_and_show_debut": (
        "Alongside Tom Ekwe, Ruby Hale will make her Doctor Who debut at Christmas.",
        {("Ruby Hale", "actsIn", "Doctor Who"), ("Ruby Hale", "coStar", "Tom Ekwe")}),
    "role_words_before_the_character": (
        "Rowan Pike played cheerful market trader Len Marsh on the BBC One soap for years.",
        {("Rowan Pike", "plays", "Len Marsh")}),
    "couples_on_screen_daughter_played_by": (
        "Rowan Pike played Len Marsh in EastEnders. Ada Finch, who played his screen wife Pearl Marsh, paid "
        "tribute. The couple's on-screen daughter, Tina Marsh, was played by Jo Dawes.",
        {("Jo Dawes", "plays", "Tina Marsh"), ("Len Marsh", "child", "Tina Marsh"),
         ("Pearl Marsh", "child", "Tina Marsh")}),
    "the_couple_have_a_child": (
        "Corrie star Kim Hale is engaged to her boyfriend Rob Tate. The couple have a six-year-old daughter, "
        "Mabel, and Kim is also mum to Ted, 11, from her marriage to ex-husband Ian Cole.",
        {("Kim Hale", "child", "Mabel"), ("Rob Tate", "child", "Mabel"), ("Ian Cole", "child", "Ted"),
         ("Kim Hale", "exPartner", "Ian Cole")}),
    "takes_the_role_of_screen_kin": (
        "Kim Hale will play lifeboat volunteer Kerra Pell in Harbour Row, a six-part series. She will star "
        "alongside Luke Amos, who takes the role of her screen brother, Danny Pell.",
        {("Luke Amos", "plays", "Danny Pell"), ("Kerra Pell", "sibling", "Danny Pell"),
         ("Kerra Pell", "characterIn", "Harbour Row")}),
    "couple_with_apposition_names_their_baby": (
        "Presenter Jo Kerr has had a baby. The 34-year-old and her husband, cricket commentator Sam Lyle, have "
        "named their daughter Ivy May.",
        {("Jo Kerr", "child", "Ivy May"), ("Sam Lyle", "child", "Ivy May"), ("Jo Kerr", "spouse", "Sam Lyle")}),
    "star_alongside_a_described_co_star": (
        "Kim Hale has a new role. She will star alongside Doctor Who star Luke Amos in the drama.",
        {("Kim Hale", "coStar", "Luke Amos"), ("Luke Amos", "actsIn", "Doctor Who")}),
    "presents_alongside_is_co_hosting": (
        "Her co-star Ben Marr, who presents the ITV daytime show This Morning alongside Jo Kerr, spoke live on air.",
        {("Ben Marr", "coHost", "Jo Kerr"), ("Jo Kerr", "presents", "This Morning")}),
    "relative_clause_is_not_the_parent_and_children_are_not_her": (
        "Hollyoaks star Mia Dunne has opened up. The actress, 41, who plays Gina Farrow in Hollyoaks, is mum to "
        "Finn, 9, and Posy, 6, with her husband Tobias Reed.",
        {("Mia Dunne", "child", "Finn"), ("Mia Dunne", "child", "Posy"), ("Mia Dunne", "spouse", "Tobias Reed"),
         ("Tobias Reed", "child", "Posy")}),
    "arrival_of_a_named_baby": (
        "Ex-Strictly pro Nina Lowry and her husband Jim Kemp have welcomed a baby boy. Nina, 39, wrote: "
        "\"Overjoyed to announce the arrival of Jack Kemp weighing in at 8lbs.\"",
        {("Nina Lowry", "child", "Jack Kemp"), ("Jim Kemp", "child", "Jack Kemp")}),
    "two_actors_play_two_screen_sisters": (
        "Emmerdale stars Amy Walsh and Joe Gill, who play sisters Tara and Gina Cole in the ITV soap, are friends.",
        {("Amy Walsh", "plays", "Tara"), ("Joe Gill", "plays", "Gina Cole"), ("Tara", "sibling", "Gina Cole"),
         ("Joe Gill", "actsIn", "Emmerdale")}),
    "the_couple_who_married_share_a_daughter": (
        "Actress Jane Doyle and her husband, actor John Rowe, are delighted. The couple, who married in 2015, "
        "also share daughter Lily, 3.",
        {("Jane Doyle", "child", "Lily"), ("John Rowe", "child", "Lily")}),
    "couple_split_after_a_discourse_adverb": (
        "Meanwhile, Love Island host Mia Jarvis and footballer Ben Sims have split after a year together.",
        {("Mia Jarvis", "exPartner", "Ben Sims"), ("Mia Jarvis", "presents", "Love Island")}),
    "married_to_a_described_person_and_dated": (
        "Mark Bell, 37, is married to singer Bea Jones. Jones previously dated rapper Kade Stone. "
        "His widow Ana Ruiz paid tribute. Bell was previously married to Ria Lowe.",
        {("Mark Bell", "spouse", "Bea Jones"), ("Bea Jones", "exPartner", "Kade Stone"),
         ("Mark Bell", "exPartner", "Ria Lowe")}),
    "shares_children_with_ages_and_a_co_parent": (
        "Soap star Sara Dunn, 59, shares Hattie, 27, and Harriet, 30, with her husband Tim Dunn.",
        {("Sara Dunn", "child", "Hattie"), ("Tim Dunn", "child", "Harriet"), ("Sara Dunn", "spouse", "Tim Dunn")}),
    "surname_with_particle_joins_the_full_name": (
        "Kevin Webb is played by Michael Le Vane. Le Vane's real-life partner, Janet Bevan, attended.",
        {("Michael Le Vane", "partner", "Janet Bevan")}),
    "children_listed_after_a_colon": (
        "Nell Pike, 53, shares three children with husband Chris Ivo: Stella, 13, Sienna, 8, and Eli, 6.",
        {("Nell Pike", "child", "Stella"), ("Nell Pike", "child", "Eli"), ("Chris Ivo", "child", "Sienna"),
         ("Nell Pike", "spouse", "Chris Ivo")}),
    "campmates_became_close_friends": (
        "I'm A Celebrity campmates Jill Scotter and Owen Warne became close friends in the jungle.",
        {("Jill Scotter", "friend", "Owen Warne"), ("Owen Warne", "appearsIn", "I'm a Celebrity... Get Me Out of Here!")}),
    "show_year_role_name": (
        "Love Island's 2019 winner Amber Gile was also a contestant.",
        {("Amber Gile", "appearsIn", "Love Island")}),
    "son_of_two_described_parents": (
        "Rhys Penn is the son of retired teacher Joan Penn and former boxer Mick Penn.",
        {("Joan Penn", "child", "Rhys Penn"), ("Mick Penn", "child", "Rhys Penn")}),
    "younger_sister_of": (
        "Ava Lutz is the younger sister of singer Mara Lutz.",
        {("Ava Lutz", "sibling", "Mara Lutz")}),
    "whose_kin_is_a_described_name": (
        "Nina Ford, whose husband is the producer Carl Imre, spoke at the launch.",
        {("Nina Ford", "spouse", "Carl Imre")}),
    "spouse_of_so_many_years": (
        "Tom Wade celebrated with his wife of 30 years, Jean, on Sunday.",
        {("Tom Wade", "spouse", "Jean")}),
    "copular_child_with_a_described_co_parent": (
        "Elsie, 9, is Dana Holt's only child with her first husband, the comedian Rob Gale.",
        {("Dana Holt", "child", "Elsie"), ("Rob Gale", "child", "Elsie")}),
    "introduced_by_a_mutual_friend": (
        "Ken Ash and Lil Marr were introduced by mutual friend Pat Dowd.",
        {("Ken Ash", "friend", "Pat Dowd"), ("Lil Marr", "friend", "Pat Dowd")}),
    "children_listed_between_dashes": (
        "Vera Lunn died on Monday. She is survived by her three children — Ann, Bob and Cy — and a grandson.",
        {("Vera Lunn", "child", "Ann"), ("Vera Lunn", "child", "Cy")}),
    "the_couple_share_a_son_named": (
        "Mia Roth is married to Leo Banks. The couple, who share a two-year-old son named Teo, live in Kent.",
        {("Mia Roth", "child", "Teo"), ("Leo Banks", "child", "Teo"), ("Mia Roth", "spouse", "Leo Banks")}),
    "the_couple_divorced_later": (
        "Ivy Crane married Ron Bell in 2001. The couple divorced in 2009.",
        {("Ivy Crane", "exPartner", "Ron Bell")}),
    "in_a_relationship_with": (
        "Jay Oduya has moved on. He is in a relationship with dancer Lola Fenn.",
        {("Jay Oduya", "partner", "Lola Fenn")}),
    "marriage_to": (
        "Lana Brice has opened up about her marriage to Gil Storr.",
        {("Lana Brice", "spouse", "Gil Storr")}),
    "married_to_a_fellow_show_professional": (
        "Anya Volk is married to fellow Strictly professional Marek Dusza.",
        {("Anya Volk", "spouse", "Marek Dusza"), ("Anya Volk", "appearsIn", "Strictly Come Dancing"),
         ("Marek Dusza", "appearsIn", "Strictly Come Dancing")}),
    "hosted_by_two_described_presenters": (
        "BBC Two quiz Brain Drain, hosted by comedian Lou Fitch and former athlete Sam Ola, returns in May.",
        {("Lou Fitch", "presents", "Brain Drain"), ("Sam Ola", "presents", "Brain Drain"),
         ("Brain Drain", "broadcastBy", "BBC Two")}),
    "brainchild_of": (
        "ITV quiz Top Dollar returns. The format was the brainchild of producer Dee Marsh.",
        {("Top Dollar", "createdBy", "Dee Marsh")}),
    "dreamed_up_by_and_devised": (
        "Channel 4 contest Pan Fried was dreamed up by producer Ivo Lane, who also devised the hit quiz Mind Lock.",
        {("Pan Fried", "createdBy", "Ivo Lane"), ("Mind Lock", "createdBy", "Ivo Lane"),
         ("Pan Fried", "broadcastBy", "Channel 4")}),
    "show_on_a_broadcaster": (
        "Dan Carr presented the talent contest Top Turn on ITV for years.",
        {("Dan Carr", "presents", "Top Turn"), ("Top Turn", "broadcastBy", "ITV")}),
    "broadcaster_before_described_genre": (
        "Ella Pike joined the Channel 5 motoring show Gear Box in 2019.",
        {("Gear Box", "broadcastBy", "Channel 5")}),
    "judge_on_a_show": (
        "Kai Moss is now a judge on Dance Off.",
        {("Kai Moss", "presents", "Dance Off")}),
    "portray_a_possessed_role": (
        "Alba Quinn plays Ray Varga. Joan Tate will portray Varga's loyal sister Edith.",
        {("Joan Tate", "plays", "Edith"), ("Ray Varga", "sibling", "Edith")}),
    "role_of_a_possessed_noun": (
        "Lee Fry plays Jon Nash. Tim Ode takes on the role of Nash's bodyguard, Vic Lowe.",
        {("Tim Ode", "plays", "Vic Lowe")}),
    "cast_as_the_couples_child": (
        "Ada Bell plays Kit Varley and Sam Ruiz plays his wife Dora. Newcomer Jo Pratt has been cast as the "
        "couple's son, Alfie Varley.",
        {("Jo Pratt", "plays", "Alfie Varley"), ("Kit Varley", "child", "Alfie Varley")}),
    "best_known_as_a_character": (
        "Ray Cole, best known as gruff landlord Vic Burns, has died.",
        {("Ray Cole", "plays", "Vic Burns")}),
    "surname_alone_is_the_article_subject": (
        "Walter Hume has died. His son Gary Hume said he was kind. Hume fronted Hot Seat for years.",
        {("Walter Hume", "presents", "Hot Seat"), ("Walter Hume", "child", "Gary Hume")}),
    "title_with_a_possessive": (
        "Ben Otto starred in the sitcom Mabel's Kitchen.",
        {("Ben Otto", "actsIn", "Mabel's Kitchen")}),
    "title_and_surname_role": (
        "Judy Ames starred as headmistress Mrs Pugh in the drama.",
        {("Judy Ames", "plays", "Pugh")}),
    "common_word_alias_inside_a_longer_name": (
        "Sun Valley winners Ola Ade and Ben Pryce have split.",
        {("Ola Ade", "appearsIn", "Sun Valley"), ("Ola Ade", "exPartner", "Ben Pryce")}),
    "couple_and_their_twin_sons": (
        "Ian Voss lives with his wife, the cellist Ruth Amis, and their twin sons, Ed and Tom, 14.",
        {("Ian Voss", "child", "Ed"), ("Ruth Amis", "child", "Tom"), ("Ed", "sibling", "Tom"),
         ("Ian Voss", "spouse", "Ruth Amis")}),
    "adult_children_between_dashes_from_a_marriage": (
        "Rex Vane is a father again. He also has three adult children — Mo, Liv and Hal — from his marriage to "
        "former model Tia Brook.",
        {("Rex Vane", "child", "Mo"), ("Tia Brook", "child", "Hal"), ("Rex Vane", "spouse", "Tia Brook")}),
    "the_show_actor_description": (
        "Leo Marr is leaving. The Kingsmere actor, 31, said goodbye.",
        {("Leo Marr", "actsIn", "Kingsmere")}),
    "parent_of_two_description": (
        "Tom Finn has moved on. The father-of-two was previously married to newsreader Kay Finn for ten years.",
        {("Tom Finn", "exPartner", "Kay Finn")}),
    "place_name_suffix_does_not_outvote_a_show": (
        "Kestrel Lane star Ida Moon is back. Ida joined Kestrel Lane in 2014, and Kestrel Lane, created by Jo Hart, "
        "is still going.",
        {("Ida Moon", "actsIn", "Kestrel Lane"), ("Kestrel Lane", "createdBy", "Jo Hart")}),
    "co_hosted_a_described_show_with": (
        "Zara Quell co-hosted the ITV quiz Fun Factory with Dev Rana for years.",
        {("Zara Quell", "coHost", "Dev Rana"), ("Dev Rana", "presents", "Fun Factory")}),
    "co_presents_with_a_described_fiancee": (
        "Hal Penrose co-presents the cookery show Fire Pit with his fiancée, chef Ama Osei.",
        {("Hal Penrose", "coHost", "Ama Osei"), ("Ama Osei", "presents", "Fire Pit"),
         ("Hal Penrose", "partner", "Ama Osei")}),
    "the_couple_are_parents_to": (
        "Tess Lyle is married to Ned Orr. The couple, who wed in 2015 in Devon, are parents to five-year-old Ivy.",
        {("Tess Lyle", "child", "Ivy"), ("Ned Orr", "child", "Ivy")}),
    "married_a_titled_described_person": (
        "The actor Sid Rowe, 72, married retired GP Ann Hale last month.",
        {("Sid Rowe", "spouse", "Ann Hale")}),
    "show_name_without_its_article_and_launch_on": (
        "Netflix has cast Ola Reyes in The Glass House. The Glass House will launch on Netflix in May.",
        {("The Glass House", "broadcastBy", "Netflix")}),
    "sentence_initial_she_continues_the_last_subject": (
        "Presenter Kim Orr lost her mother this week. Kim said her mum, Edna Orr, was kind. Edna was born in 1930 "
        "in Leeds. She is survived by her children, Kim, Lou and Ray.",
        {("Edna Orr", "child", "Lou"), ("Edna Orr", "child", "Ray")}),
    "expecting_a_child_with_a_fiance": (
        "Gina Tull is expecting her second child with fiancé Rob Amis.",
        {("Gina Tull", "partner", "Rob Amis")}),
}


@pytest.mark.parametrize("phenomenon", sorted(CASES))
def test_relation_phenomenon(extract_rules, phenomenon):
    text, expected = CASES[phenomenon]
    got = triples(extract_rules(text))
    canonical = set()
    for s, p, o in expected:
        if p in {"coHost", "exPartner", "spouse", "partner", "sibling", "friend", "coStar"}:
            s, o = sorted((s, o))
        canonical.add((s, p, o))
    assert canonical <= got, f"missing {canonical - got}; got {got}"


def test_a_shortened_first_name_is_the_same_person(extract_rules):
    x = extract_rules("Reginald Pope and his wife Sue Pope were there. Reg said it was lovely.")
    people = {e.name: set(e.aliases) for e in x.entities if e.cls == "Person"}
    assert "Reg" in people["Reginald Pope"] and "Reg" not in people


def test_a_demonym_before_a_role_is_not_a_name(extract_rules):
    x = extract_rules("The Danish actor Lars Holm smiled at the cameras.")
    assert "Danish" not in classes(x)


def test_a_place_after_grew_up_in_is_a_place(extract_rules):
    x = extract_rules("Pat Keel, who grew up in Hexford, is an actress.")
    assert classes(x)["Hexford"] == "Place"


def test_a_twin_modifier_is_not_a_sibling_of_the_parents(extract_rules):
    x = extract_rules("Ian Voss lives with his wife, the cellist Ruth Amis, and their twin sons, Ed and Tom, 14.")
    assert not any(p == "sibling" and "Ian Voss" in (s, o) for s, p, o in triples(x))


def test_a_child_listed_before_with_is_not_the_co_parents_partner(extract_rules):
    x = extract_rules("Rhona Mabry is mum to Elliot, 20, with her ex Gareth Pryce and three-year-old Bea, with former "
                "partner Callum Ridley.")
    assert not any(p in {"partner", "exPartner"} and "Bea" in (s, o) for s, p, o in triples(x))


def test_on_screen_relations_stay_off_the_actors(extract_rules):
    x = extract_rules("Bryony Hart, who plays Kelly Dunn in Coronation Street, said her screen husband Rob Dunn "
                "was a gift to play.")
    assert classes(x)["Rob Dunn"] == "Character"
    assert not any(p == "spouse" and "Bryony Hart" in (s, o) for s, p, o in triples(x))


def test_negated_split_is_not_asserted(extract_rules):
    x = extract_rules("Carys Vaughan has denied she split from her husband Owain Price.")
    assert ("Carys Vaughan", "exPartner", "Owain Price") not in triples(x)


def test_hedged_claim_is_marked_and_scored_lower(extract_rules):
    x = extract_rules("EastEnders star Mina Cole is reportedly set to join Strictly Come Dancing.")
    hedged = [r for r in x.relations if r.evidence.hedged]
    assert hedged and all(r.evidence.confidence < 0.6 for r in hedged)


def test_two_people_sharing_a_first_name_stay_apart(extract_rules):
    x = extract_rules("Kate Lyle met Kate Ormond at the awards. Kate Ormond said Kate Lyle was lovely.")
    people = [e.name for e in x.entities if e.cls == "Person"]
    assert sorted(people) == ["Kate Lyle", "Kate Ormond"]


def test_first_name_and_surname_join_the_full_name(extract_rules):
    x = extract_rules("Dana Whitcombe was at the launch. Dana said it was a joy, and Whitcombe laughed.")
    (dana,) = [e for e in x.entities if e.cls == "Person"]
    assert dana.name == "Dana Whitcombe" and set(dana.aliases) == {"Dana", "Whitcombe"}


@pytest.mark.parametrize("text,expected", [
    ("Dana Whitcombe, 44, smiled.", ("Dana Whitcombe", 44)),
    ("The 40-year-old actress Dana Whitcombe smiled.", ("Dana Whitcombe", 40)),
    ("She hugged nine-year-old Polly Dunn.", ("Polly Dunn", 9)),
    ("Tom Fairley died at the age of 81 on Tuesday.", ("Tom Fairley", 81)),
    ("Leon Price is back. The 47-year-old plays Gus Farr in the soap.", ("Leon Price", 47)),
])
def test_ages(extract_rules, text, expected):
    x = extract_rules(text, date="2020-10-28")
    names = {e.key: e.name for e in x.entities}
    ages = {(names[f.subject], f.value) for f in x.facts if f.attribute == "age"}
    assert expected in ages
    assert all(f.as_of.isoformat() == "2020-10-28" for f in x.facts if f.attribute == "age")


@pytest.mark.parametrize("text,attr,value", [
    ("Ivy Marsh was born on March 3, 2019.", "birthDate", "2019-03-03"),
    ("Tom Fairley died yesterday, his family said.", "deathDate", "2020-10-27"),
    ("Tom Fairley passed away on Tuesday.", "deathDate", "2020-10-27"),
    ("Baby Arlo Quinn was born on 2 June 2015 and died moments later.", "deathDate", "2015-06-02"),
])
def test_dates(extract_rules, text, attr, value):
    x = extract_rules(text, date="2020-10-28")
    assert value in {f.value.isoformat() for f in x.facts if f.attribute == attr}


def test_pronoun_after_an_unnamed_relative_is_left_unresolved(extract_rules):
    x = extract_rules("Presenter Jane Holm has paid tribute to her mother after she died at the age of 94.")
    assert not [f for f in x.facts if f.attribute == "age" and f.value == 94]


def test_a_quote_signed_with_a_nickname_is_the_speakers(extract_rules):
    x = extract_rules('Speaking today, Leta Dane said: "I will remember him with love forever. Thank you for '
                'everything. Love and respect always, Tee."')
    (leta,) = [e for e in x.entities if e.cls == "Person"]
    assert "Tee" in leta.aliases


def test_a_birth_after_a_named_baby_is_the_babys(extract_rules):
    x = extract_rules("Jo Kerr, 34, and her husband Sam Lyle have named their daughter Ivy May. She was born on "
                "Thursday 27 April.")
    names = {e.key: e.name for e in x.entities}
    born = {(names[f.subject], f.value.isoformat()) for f in x.facts if f.attribute == "birthDate"}
    assert born == {("Ivy May", "2021-04-27")}  # the article is dated 2021-05-01


def test_cast_as_someones_companion_is_not_that_character(extract_rules):
    x = extract_rules("Doctor Who star Mina Hale will play Ruby Day alongside the Fifteenth Doctor. Hale said: "
                "\"I am honoured to be cast as the Doctor's companion.\"")
    assert ("Mina Hale", "plays", "Fifteenth Doctor") not in triples(x)
    assert ("Mina Hale", "plays", "Ruby Day") in triples(x)


def test_text_overrides_a_given_names_usual_gender(extract_rules):
    x = extract_rules("Alex Marlowe is expecting. The actress shared the news with her husband Rob Finch.")
    assert ("Alex Marlowe", "spouse", "Rob Finch") in triples(x)


def test_pronoun_resolution_follows_gender(extract_rules):
    x = extract_rules("Gavin Royle and his wife Nadia Royle welcomed a son. He said the baby was perfect.")
    assert ("Gavin Royle", "spouse", "Nadia Royle") in triples(x) or \
        ("Nadia Royle", "spouse", "Gavin Royle") in triples(x)


def test_first_person_in_quotes_is_the_speaker(extract_rules):
    x = extract_rules('Lena Brook said: "My friend Ada Quill is the bravest person I know."')
    assert ("Ada Quill", "friend", "Lena Brook") in triples(x)


def test_descriptions_resolve_to_the_show(extract_rules):
    x = extract_rules("Dana Whitcombe joined Coronation Street in 2010. She left the ITV soap last year.")
    assert ("Coronation Street", "broadcastBy", "ITV") in triples(x)
