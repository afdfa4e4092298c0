"""Word lists the extractors read: general English news vocabulary, never names from one article.

Kept in one place so that a rule reads as "a verb of agreeing" rather than a literal list, and
so that the lists can be reviewed (and grown) without touching the rules.
"""

from __future__ import annotations

from ..records import EVENT_TYPES  # noqa: F401  (the rules read it as lx.EVENT_TYPES; defined in records)

# --- agreements and events -------------------------------------------------------------------------

#: Head noun lemma -> ontology class of the agreement/event it names.
AGREEMENT_HEADS: dict[str, str] = {
    "ceasefire": "Ceasefire", "cease-fire": "Ceasefire", "truce": "Ceasefire", "armistice": "Ceasefire",
    "deal": "Deal", "agreement": "Agreement", "accord": "Agreement", "pact": "Agreement",
    "compact": "Agreement", "memorandum": "Agreement", "settlement": "Agreement", "partnership": "Agreement",
    "treaty": "Treaty", "convention": "Treaty", "protocol": "Treaty",
    "exchange": "Exchange", "swap": "Exchange",
    "proposal": "Proposal", "plan": "Proposal", "roadmap": "Proposal", "framework": "Proposal",
    "offer": "Proposal", "initiative": "Proposal",
    "talk": "Talks", "talks": "Talks", "negotiation": "Talks", "negotiations": "Talks",
    "meeting": "Meeting", "summit": "Summit", "conference": "Summit", "visit": "Meeting",
    "acquisition": "Acquisition", "takeover": "Acquisition", "merger": "Acquisition", "buyout": "Acquisition",
    "purchase": "Acquisition", "moratorium": "Agreement", "ban": "Agreement", "freeze": "Agreement",
    "halt": "Agreement", "pause": "Agreement", "suspension": "Agreement", "cessation": "Agreement",
    "bid": "Proposal", "demand": "Proposal", "declaration": "Agreement", "communique": "Agreement",
    "communiqué": "Agreement", "code": "Agreement", "sale": "Acquisition", "contract": "Deal",
    "licence": "Agreement", "license": "Agreement", "bill": "Proposal", "legislation": "Proposal",
}
#: Heads of something put forward: their purpose or their author names them ("an offer to join ...").
PROPOSAL_HEADS = frozenset({"offer", "proposal", "plan", "bid", "demand", "initiative", "framework"})
#: Heads of a stop to something; a stop to fighting ("a halt on strikes") is a ceasefire.
HALT_HEADS = frozenset({"halt", "pause", "suspension", "cessation", "moratorium", "freeze", "ban"})
#: Words that make a halt a ceasefire: what is halted is fighting.
FIGHTING_WORDS = frozenset({"attack", "strike", "fighting", "hostility", "hostilities", "bombing", "shelling",
                            "airstrike", "fire", "combat", "offensive", "missile", "drone"})
#: Verbs of stopping: "agreed to halt strikes on energy facilities" makes a ceasefire.
HALT_VERBS = frozenset({"halt", "stop", "pause", "suspend", "cease", "end", "freeze"})
#: Verbs of exchanging, and what is exchanged: "the two sides swapped 175 prisoners".
EXCHANGE_VERBS = frozenset({"swap", "exchange", "trade"})
EXCHANGED = frozenset({"prisoner", "captive", "hostage", "detainee", "pow", "body", "soldier", "prisoners"})
#: Last words of proper names that name an event or agreement: "Global Oceans Summit", "Paris Agreement".
NAMED_EVENT_HEADS = frozenset({"summit", "conference", "agreement", "accord", "accords", "treaty", "talks",
                               "convention", "pact", "deal", "ceasefire", "truce", "protocol", "plan",
                               "initiative", "meeting", "negotiations", "cop"})
#: Heads that only say "an agreement of some kind"; an anaphor with one may continue any agreement.
GENERIC_HEADS = frozenset({"deal", "agreement", "accord", "pact", "arrangement", "compact", "settlement"})
#: Heads that need a modifier to be worth a node ("a plan" alone is too vague; "peace plan" is not).
NEEDS_MODIFIER = frozenset({"plan", "framework", "initiative", "offer", "exchange", "visit", "purchase", "bill",
                            "protocol", "convention", "partnership", "settlement", "talk", "ban", "freeze",
                            "halt", "pause", "suspension", "cessation", "bid", "demand", "declaration",
                            "communique", "communiqué", "code", "sale", "contract", "licence", "license"})
#: Verbs whose object, a company, makes an acquisition: "agreed to acquire Acme".
ACQUISITION_VERBS = frozenset({"acquire", "buy", "purchase", "takeover"})
#: Nouns whose "of" names what is bought: "the acquisition of Larkspur Labs".
ACQUISITION_NOUNS = frozenset({"acquisition", "takeover", "purchase", "buyout"})
#: Last words that make a name an organisation whatever the NER said: "Larkspur Labs", "Acme Corp".
ORG_SUFFIXES = frozenset({
    "inc", "inc.", "corp", "corp.", "corporation", "co", "co.", "company", "ltd", "ltd.", "llc", "plc", "ag", "sa",
    "gmbh", "group", "holdings", "labs", "laboratories", "systems", "technologies", "technology", "partners",
    "capital", "ventures", "bank", "airlines", "airways", "motors", "industries", "pharmaceuticals", "energy",
    "media", "networks", "solutions", "software", "foods", "entertainment", "institute", "university",
    "college", "ministry", "department", "agency", "commission", "council", "committee", "party", "fund",
    "foundation", "association", "union", "federation", "authority", "court", "bureau", "office", "army",
    "police", "service", "services", "programme", "program", "organization", "organisation", "alliance",
    "coalition", "network", "trust", "society", "club", "press", "news", "times", "post", "journal",
    "mining", "oil", "steel", "shipping", "logistics", "resources", "petroleum", "chemicals", "telecom",
    "insurance", "brands", "studios", "therapeutics", "biosciences", "robotics", "aerospace", "automotive",
    "electric", "utilities", "railways", "airport", "hotels", "pharma", "semiconductor", "semiconductors",
    "bloc", "front", "movement", "brigade", "brigades", "forces", "militia", "collective", "united", "rovers",
    "athletic", "fc", "grid", "oy", "ab", "nv", "bv", "spa", "asa", "kg", "se",
})
#: Nouns for settlements: "the Armenian town of Ijevan".
SETTLEMENT_NOUNS = frozenset({"town", "village", "city", "capital", "port", "settlement", "district", "province",
                              "region", "state", "county", "island"})
#: Last words that make a name a place: "Mill Lane", "Wembley Stadium".
PLACE_SUFFIXES = frozenset({"lane", "road", "street", "avenue", "boulevard", "square", "stadium", "park", "arena",
                            "bridge", "airport", "harbour", "harbor", "palace", "hall", "plaza"})
#: Right-hand prepositions whose object belongs in an agreement's name ("ceasefire on grain shipments").
LABEL_PREPS = frozenset({"on", "for", "of", "over"})
#: Adjectives that describe the reporting, not the agreement; left out of labels.
LABEL_STOP_ADJ = frozenset({"upcoming", "new", "latest", "recent", "so-called", "possible", "potential",
                            "infamous", "much", "very", "now", "such", "same", "other", "first", "second",
                            "last", "next", "previous", "earlier", "later", "current", "planned", "proposed",
                            "much-anticipated", "long-awaited", "historic", "landmark", "controversial"})
#: Modifiers that say "another one": a phrase with one starts a new agreement ("an earlier offer").
DISTINCT_ADJ = frozenset({"earlier", "previous", "prior", "other", "another", "second", "rival", "competing",
                          "separate", "alternative", "different", "fresh", "revised", "counter"})
DURATION_UNITS = frozenset({"hour", "day", "week", "month", "year"})

# --- verbs -> relations -----------------------------------------------------------------------------

#: Verb lemma -> relation, for verbs whose object is an agreement or event.
AGREEMENT_VERBS: dict[str, str] = {
    "agree": "agreedTo", "accept": "agreedTo", "approve": "agreedTo", "reach": "agreedTo", "strike": "agreedTo",
    "seal": "agreedTo", "clinch": "agreedTo", "finalize": "agreedTo", "finalise": "agreedTo",
    "conclude": "agreedTo", "endorse": "agreedTo", "embrace": "agreedTo", "greenlight": "agreedTo",
    "sign": "signed", "ink": "signed", "ratify": "signed", "adopt": "agreedTo", "pass": "agreedTo",
    "propose": "proposed", "suggest": "proposed", "offer": "proposed", "float": "proposed", "unveil": "proposed",
    "table": "proposed", "pitch": "proposed",
    "reject": "rejected", "refuse": "rejected", "balk": "rejected", "dismiss": "rejected", "spurn": "rejected",
    "rebuff": "rejected", "veto": "rejected", "snub": "rejected", "decline": "rejected", "scrap": "rejected",
    "negotiate": "negotiated", "broker": "negotiated", "mediate": "negotiated", "hash": "negotiated",
    "lead": "negotiated",
    "hammer": "negotiated", "work": "negotiated",
    "participate": "participatesIn", "attend": "participatesIn", "join": "participatesIn",
    "host": "participatesIn", "hold": "participatesIn", "address": "participatesIn",
    "support": "supports", "back": "supports", "welcome": "supports", "praise": "supports",
    "finance": "supports", "fund": "supports", "call": "proposed", "demand": "proposed", "urge": "proposed",
    "block": "rejected", "stop": "opposes", "withdraw": "rejected", "quit": "rejected", "exit": "rejected",
    "abandon": "rejected", "suspend": "rejected", "renege": "rejected",
    "challenge": "opposes", "oppose": "opposes", "criticize": "opposes", "criticise": "opposes", "condemn": "opposes",
    "decry": "opposes", "denounce": "opposes", "slam": "opposes",
}
#: Nouns for one's part in an agreement: "suspended its participation in the grain deal".
PART_NOUNS = frozenset({"participation", "involvement", "membership", "part", "role", "implementation"})
#: Nouns through which a passive verb names its doer: "brokered with help from Australia".
HELP_NOUNS = frozenset({"help", "mediation", "support", "assistance", "backing", "involvement"})
#: Verbs of taking part that may leave their event unsaid: "Lavrov attended in person".
OBJECTLESS_ATTEND = frozenset({"attend"})
#: Verbs that put quoted words on something: "called the fund "the first promise in thirty years"".
NAMING_VERBS = frozenset({"call", "describe", "dub", "label", "brand", "hail"})
#: Verbs that keep an agreement going: "agreed to extend the truce" agrees to the truce.
CARRY_VERBS = frozenset({"extend", "renew", "resume", "implement", "honour", "honor", "respect", "uphold",
                         "restore", "maintain", "prolong", "continue", "observe", "enforce", "revive"})
#: Verbs that need a particle to mean the relation ("hash out", "work out", "turn down").
PARTICLE_VERBS: dict[tuple[str, str], str] = {
    ("hash", "out"): "negotiated", ("hammer", "out"): "negotiated", ("work", "out"): "negotiated",
    ("turn", "down"): "rejected", ("sign", "on"): "agreedTo", ("walk", "away"): "rejected",
    ("pull", "out"): "rejected", ("back", "out"): "rejected", ("take", "part"): "participatesIn",
}
#: Verbs that only mean the relation with a particle; alone they mean something else.
PARTICLE_ONLY = frozenset({"hash", "hammer", "work", "turn", "walk", "pull", "take"})
#: Verbs that license an agreement object only through a preposition ("agree to", "balk at").
VERB_PREPS: dict[str, frozenset[str]] = {
    "agree": frozenset({"to", "on", "upon"}), "balk": frozenset({"at"}), "participate": frozenset({"in"}),
    "sign": frozenset({"on", "onto"}), "negotiate": frozenset({"on", "over"}), "object": frozenset({"to"}),
    "walk": frozenset({"from"}), "pull": frozenset({"of"}), "back": frozenset({"of"}),
    "take": frozenset({"in"}), "withdraw": frozenset({"from"}), "call": frozenset({"for"}),
    "renege": frozenset({"on"}),
}
#: Verbs that reach an agreement only through their preposition: "called for a truce", not "called the deal".
PREP_ONLY = frozenset({"call", "balk", "participate", "object"})
#: Verb lemma -> relation, for verbs whose object is another actor.
ACTOR_VERBS: dict[str, str] = {
    "meet": "metWith", "host": "metWith", "visit": "metWith", "receive": "metWith",
    "speak": "spokeWith", "talk": "spokeWith", "call": "spokeWith", "phone": "spokeWith", "telephone": "spokeWith",
    "attack": "attacked", "strike": "attacked", "bomb": "attacked", "shell": "attacked", "invade": "attacked",
    "raid": "attacked", "target": "attacked", "hit": "attacked", "assault": "attacked",
    "support": "supports", "back": "supports", "endorse": "supports", "praise": "supports",
    "oppose": "opposes", "criticize": "opposes", "criticise": "opposes", "condemn": "opposes",
    "denounce": "opposes", "accuse": "opposes", "blame": "opposes", "slam": "opposes", "sanction": "opposes",
    "join": "memberOf", "sue": "opposes", "fire": "attacked", "discuss": "spokeWith", "confer": "spokeWith",
}
#: Actor verbs that mean the relation only through a preposition: "fired missiles at X", not "fired X";
#: "discussed trade with X", not "discussed Ukraine".
ACTOR_PREP_ONLY = frozenset({"fire", "discuss", "confer"})
#: Prepositions through which an actor verb reaches its second actor ("spoke with", "met with").
ACTOR_VERB_PREPS = frozenset({"with", "to"})
#: Nouns that name a conversation or a meeting between actors: "in a call with X", "his meeting with X".
CONTACT_NOUNS: dict[str, str] = {
    "call": "spokeWith", "phone": "spokeWith", "conversation": "spokeWith", "talk": "spokeWith",
    "talks": "spokeWith", "discussion": "spokeWith", "phonecall": "spokeWith", "exchange": "spokeWith",
    "meeting": "metWith", "summit": "metWith", "visit": "metWith", "encounter": "metWith",
    "session": "metWith", "sit-down": "metWith", "dinner": "metWith", "lunch": "metWith",
}
#: Nouns that name an attack: "launched attacks on X", "strikes against X".
ATTACK_NOUNS = frozenset({"attack", "strike", "airstrike", "bombing", "offensive", "assault", "raid",
                          "invasion", "shelling", "incursion"})

# --- speech ------------------------------------------------------------------------------------------

#: Verbs that introduce what someone said (direct quotes and reported claims).
SPEECH_VERBS = frozenset({
    "say", "tell", "add", "state", "claim", "write", "warn", "insist", "argue", "note", "explain", "declare",
    "stress", "reply", "respond", "post", "tweet", "announce", "assert", "allege", "maintain", "contend",
    "acknowledge", "admit", "confirm", "deny", "decry", "predict", "promise", "vow", "suggest", "urge",
    "emphasize", "emphasise", "remark", "comment", "observe", "caution", "concede", "boast", "complain",
    "describe", "report", "reiterate", "recall", "indicate", "signal", "call", "ask", "continue", "conclude",
})
#: Cue verbs that mark an indirect statement as a claim rather than a plain report.
CLAIM_VERBS = frozenset({"claim", "allege", "assert", "contend", "insist", "maintain", "argue", "deny"})
#: Nouns that carry a statement: "according to a statement by X", "in a post on X".
SPEECH_NOUNS = frozenset({"statement", "post", "interview", "remarks", "comment", "announcement", "release",
                          "letter", "readout", "briefing", "address", "speech", "tweet", "message"})

# --- modality ----------------------------------------------------------------------------------------

FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
HYPOTHETICAL_AUX = frozenset({"could", "might", "may", "would", "should", "can", "must"})
NEGATIONS = frozenset({"not", "n't", "never", "no"})
#: Verbs that make their complement unreal: "expected to sign", "hopes to reach".
IRREALIS_VERBS = frozenset({"expect", "hope", "want", "plan", "seek", "aim", "try", "intend", "wish", "lead",
                            "push", "urge", "call", "need", "consider", "threaten", "fail", "refuse"})

# --- titles and roles --------------------------------------------------------------------------------

#: Nouns that head a role ("spokesperson", "Secretary", "CEO").
ROLE_HEADS = frozenset({
    "president", "president-elect", "secretary", "minister", "advisor", "adviser", "envoy", "spokesperson",
    "spokesman", "spokeswoman", "ceo", "cfo", "cto", "coo", "chairman", "chairwoman", "chair", "chairperson",
    "director", "reporter", "correspondent", "journalist", "editor", "ambassador", "general", "senator", "sen.",
    "rep.", "representative", "congressman", "congresswoman", "governor", "gov.", "mayor", "chancellor", "king",
    "queen", "prince", "princess", "judge", "justice", "commissioner", "chief", "officer", "founder",
    "co-founder", "cofounder", "leader", "premier", "analyst", "professor", "economist", "lawmaker", "official",
    "diplomat", "negotiator", "commander", "executive", "head", "attorney", "counsel", "pope", "sheikh", "emir",
    "sultan", "colonel", "captain", "admiral", "marshal", "fellow", "member", "partner", "manager", "speaker",
    "secretary-general", "aide", "deputy", "vice", "owner", "investor", "researcher",
    "scientist", "lawyer", "activist", "delegate", "strategist", "mp", "principal", "dean",
    "treasurer", "administrator", "inspector", "superintendent", "prosecutor", "presenter", "host", "writer",
    "columnist", "author", "producer", "coach", "player", "striker", "monarch", "emperor",
})
#: Words that may stand in a title before its head ("Special Envoy", "National Security Advisor").
ROLE_MODIFIERS = frozenset({
    "special", "deputy", "vice", "prime", "foreign", "defense", "defence", "national", "security", "state",
    "former", "acting", "interim", "senior", "chief", "executive", "general", "attorney", "press", "home",
    "finance", "interior", "trade", "energy", "economy", "economic", "health", "justice", "treasury",
    "commerce", "first", "supreme", "high", "top", "then", "assistant", "associate",
    "managing", "lead", "principal", "regional", "federal", "us", "u.s.", "u.s", "presidential", "education",
    "labor", "labour", "agriculture", "transport", "transportation", "environment", "climate", "development",
    "intelligence", "military", "army", "navy", "air", "force", "staff", "operating", "financial",
    "technology", "independent", "majority", "minority", "senate", "house", "opposition", "communications",
    "policy", "political", "legal", "digital", "middle", "east", "european", "crown", "grand", "joint",
    "of", "and", "for", "to", "the", "co", "global", "world", "sales", "marketing", "investment",
})
#: Forms of address: part of neither the name nor the role ("Sheikh", "Mr").
#: Lower-case particles inside personal names ("Ursula von der Leyen", "Mohammed bin Salman",
#: "Luiz Inacio Lula da Silva"); the small model often ends a name at them.
NAME_PARTICLES = frozenset({"von", "van", "der", "den", "de", "da", "di", "du", "del", "della", "dos", "das",
                            "bin", "ibn", "bint", "al", "ter", "ten", "zu", "le", "la"})

HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "sheikh", "lord",
                        "lady", "madam", "mx", "prof", "prof."})
#: Words too generic to be a role on their own.
ROLE_STOP = frozenset({"member", "head", "leader", "official", "the", "of", "and", "for", "to", "house"})

# --- places ------------------------------------------------------------------------------------------

#: Nouns that, after a proper name, make a place: "the Donetsk region", "Sichuan province".
PLACE_NOUNS = frozenset({"region", "province", "oblast", "state", "county", "district", "city", "island",
                         "islands", "peninsula", "river", "valley", "sea", "strait", "gulf", "bay", "border",
                         "territory", "prefecture", "governorate", "canton", "municipality", "mountains",
                         "desert", "coast", "port"})

# --- countries ---------------------------------------------------------------------------------------

#: Common names of countries that ISO 3166 spells otherwise; the value is the display name we keep.
COUNTRY_ALIASES: dict[str, str] = {
    "us": "United States", "u.s.": "United States", "u.s": "United States", "usa": "United States",
    "u.s.a.": "United States", "america": "United States", "united states of america": "United States",
    "the united states": "United States", "the us": "United States", "the u.s.": "United States",
    "uk": "United Kingdom", "u.k.": "United Kingdom", "britain": "United Kingdom",
    "great britain": "United Kingdom", "the uk": "United Kingdom", "the u.k.": "United Kingdom",
    "russia": "Russia", "russian federation": "Russia", "the russian federation": "Russia",
    "iran": "Iran", "syria": "Syria", "south korea": "South Korea", "north korea": "North Korea",
    "korea": "South Korea", "vietnam": "Vietnam", "turkey": "Turkey", "türkiye": "Turkey", "turkiye": "Turkey",
    "taiwan": "Taiwan", "venezuela": "Venezuela", "bolivia": "Bolivia", "tanzania": "Tanzania",
    "moldova": "Moldova", "laos": "Laos", "czech republic": "Czechia", "palestine": "Palestine",
    "the netherlands": "Netherlands", "holland": "Netherlands", "uae": "United Arab Emirates",
    "the uae": "United Arab Emirates", "dr congo": "DR Congo", "drc": "DR Congo",
    "democratic republic of the congo": "DR Congo", "ivory coast": "Côte d'Ivoire",
    "the philippines": "Philippines", "the gambia": "Gambia", "micronesia": "Micronesia",
    "the vatican": "Vatican City", "vatican": "Vatican City", "brunei": "Brunei", "cape verde": "Cabo Verde",
}
#: ISO codes for the display names above that pycountry cannot find by that name.
COUNTRY_CODES: dict[str, str] = {
    "United States": "US", "United Kingdom": "GB", "Russia": "RU", "Iran": "IR", "Syria": "SY",
    "South Korea": "KR", "North Korea": "KP", "Vietnam": "VN", "Turkey": "TR", "Taiwan": "TW",
    "Venezuela": "VE", "Bolivia": "BO", "Tanzania": "TZ", "Moldova": "MD", "Laos": "LA", "Czechia": "CZ",
    "Palestine": "PS", "Netherlands": "NL", "United Arab Emirates": "AE", "DR Congo": "CD",
    "Côte d'Ivoire": "CI", "Philippines": "PH", "Gambia": "GM", "Micronesia": "FM", "Vatican City": "VA",
    "Brunei": "BN", "Cabo Verde": "CV",
}

# --- coreference -------------------------------------------------------------------------------------

PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})
NEUTER_PRONOUNS = frozenset({"it", "its", "itself"})
#: Verbs that give an actor another name: "Mohamed Hamdan Dagalo, known as Hemedti".
ALIAS_VERBS = frozenset({"know", "nickname", "dub", "call", "name"})
#: First words that cannot stand alone for the organisation they begin ("New York Times" is not "New").
GENERIC_NAME_WORDS = frozenset({
    "new", "national", "international", "united", "royal", "first", "general", "global", "american",
    "european", "british", "federal", "central", "public", "state", "world", "north", "south", "east", "west",
    "northern", "southern", "eastern", "western", "great", "the", "bank", "university", "ministry",
})
#: Nouns that say the name right after them is an organisation's: "the streaming service Lumen Play",
#: "the music rights body Chorus Collective" (names the small model often misses or calls a person).
ORG_CLASS_NOUNS = frozenset({
    "company", "firm", "startup", "group", "service", "body", "platform", "bank", "lender", "insurer",
    "carrier", "airline", "retailer", "maker", "manufacturer", "producer", "developer", "operator", "chain",
    "broadcaster", "network", "publisher", "label", "brand", "conglomerate", "giant", "club", "party",
    "union", "agency", "regulator", "watchdog", "charity", "consultancy", "fund", "outlet", "app",
})
#: Nouns that, definite, stand for an actor of a type: "the country", "the company".
TYPE_NOUNS: dict[str, str] = {
    "country": "Country", "nation": "Country", "state": "Country", "government": "Country",
    "company": "Organization", "firm": "Organization", "group": "Organization", "organization": "Organization",
    "organisation": "Organization", "bloc": "Organization", "alliance": "Organization", "agency": "Organization",
    "ministry": "Organization", "department": "Organization", "startup": "Organization",
    "bank": "Organization", "union": "Organization", "maker": "Organization",
    "giant": "Organization", "carrier": "Organization", "retailer": "Organization", "insurer": "Organization",
    "leader": "Person", "president": "Person", "minister": "Person", "official": "Person", "man": "Person",
    "woman": "Person", "executive": "Person", "spokesperson": "Person", "spokesman": "Person",
    "spokeswoman": "Person", "chancellor": "Person", "premier": "Person", "envoy": "Person",
    "city": "Place", "region": "Place", "capital": "Place",
    "side": "Side", "party": "Organization", "parties": "Organization",
    "commission": "Organization", "court": "Organization", "regulator": "Organization",
    "committee": "Organization", "council": "Organization", "board": "Organization",
}
#: Nouns that speak for their possessor: "her office said" is she, "Ukraine's government" is Ukraine.
PROXY_NOUNS = frozenset({"office", "government", "administration", "spokesperson", "spokesman", "spokeswoman",
                         "team", "campaign", "ministry", "cabinet", "representative", "lawyer", "aide",
                         "negotiator", "official", "delegation", "delegate", "diplomat", "envoy", "leadership",
                         "parliament", "legislature", "lawmaker", "legislator"})

#: Capitals that news prose uses for their governments ("Moscow rejected the plan", "Washington and Kyiv
#: proposed"): as the doer of an act they stand for the country; as a place they stay a place.
CAPITALS: dict[str, str] = {
    "Kyiv": "Ukraine", "Kiev": "Ukraine", "Moscow": "Russia", "Washington": "United States", "Beijing": "China",
    "London": "United Kingdom", "Paris": "France", "Berlin": "Germany", "Tehran": "Iran", "Jerusalem": "Israel",
    "Ankara": "Turkey", "Tokyo": "Japan", "Seoul": "South Korea", "Pyongyang": "North Korea", "New Delhi": "India",
    "Islamabad": "Pakistan", "Kabul": "Afghanistan", "Baghdad": "Iraq", "Damascus": "Syria",
    "Riyadh": "Saudi Arabia", "Cairo": "Egypt", "Doha": "Qatar", "Abu Dhabi": "United Arab Emirates",
    "Warsaw": "Poland", "Minsk": "Belarus", "Tbilisi": "Georgia", "Yerevan": "Armenia", "Baku": "Azerbaijan",
    "Caracas": "Venezuela", "Havana": "Cuba", "Ottawa": "Canada", "Canberra": "Australia",
    "Mexico City": "Mexico", "Brasilia": "Brazil", "Buenos Aires": "Argentina", "Pretoria": "South Africa",
    "Nairobi": "Kenya", "Addis Ababa": "Ethiopia", "Khartoum": "Sudan", "Tripoli": "Libya", "Rome": "Italy",
    "Madrid": "Spain", "Lisbon": "Portugal", "Athens": "Greece", "Budapest": "Hungary", "Vienna": "Austria",
    "Prague": "Czechia", "Bucharest": "Romania", "Sofia": "Bulgaria", "Belgrade": "Serbia",
    "Stockholm": "Sweden", "Oslo": "Norway", "Helsinki": "Finland", "Copenhagen": "Denmark", "Dublin": "Ireland",
    "Amsterdam": "Netherlands", "Bern": "Switzerland", "Manila": "Philippines", "Hanoi": "Vietnam",
    "Bangkok": "Thailand", "Jakarta": "Indonesia", "Kuala Lumpur": "Malaysia", "Taipei": "Taiwan",
    "Dhaka": "Bangladesh", "Beirut": "Lebanon", "Amman": "Jordan", "Sanaa": "Yemen", "Rabat": "Morocco",
    "Algiers": "Algeria", "Tunis": "Tunisia", "Abuja": "Nigeria", "Accra": "Ghana", "Kinshasa": "DR Congo",
    "Chisinau": "Moldova", "Vilnius": "Lithuania", "Riga": "Latvia", "Tallinn": "Estonia",
    "Wellington": "New Zealand", "Santiago": "Chile", "Lima": "Peru", "Bogota": "Colombia", "Quito": "Ecuador",
    "Astana": "Kazakhstan", "Tashkent": "Uzbekistan", "Naypyidaw": "Myanmar", "Muscat": "Oman",
}

# --- actors: names, titles, parties (issue 17; graph/nlp/names.py, graph/nlp/titles.py) -----------------

#: What the members of a political party are called ("the Liberal Democrats", "the Maoists"): a NORP
#: name ending in one of these (singular or plural) is the party, an organisation, not a nationality.
PARTY_MEMBER_WORDS = frozenset({
    "democrat", "republican", "socialist", "conservative", "liberal", "communist", "maoist", "green",
    "unionist", "nationalist", "tory", "whig", "federalist", "labourite", "social-democrat",
})
#: Role nouns an organisation can hold too ("a partner of", "the owner of", "the host"): no evidence that
#: a name the model called an organisation is a person.
SHARED_ROLE_HEADS = frozenset({
    "partner", "owner", "investor", "producer", "host", "member", "player", "developer", "founder",
    "co-founder", "cofounder", "leader", "head", "principal", "fellow", "official", "executive", "officer",
})
#: Verbs that give their object or subject a role with "as": "installed X as head of state", "X served as
#: envoy", "resigned as leader of the party"; and verbs whose complement is the role ("X became premier").
AS_ROLE_VERBS = frozenset({
    "appoint", "name", "elect", "install", "instal", "nominate", "serve", "act", "resign", "step", "confirm", "choose",
    "select", "reappoint", "re-elect", "reelect", "swear", "designate", "remain", "continue", "replace",
    "succeed", "return", "retire", "quit", "work", "sit",
})
BECOME_VERBS = frozenset({"become", "remain"})
#: More role nouns and title words ("the captive army soldier", "Lieutenant Governor X"), added to the lists above.
ROLE_HEADS = ROLE_HEADS | {"soldier", "sergeant", "corporal", "lieutenant"}
ROLE_MODIFIERS = ROLE_MODIFIERS | {"lieutenant", "defence", "staff"}
#: More lower-case name particles ("Rui Souza do Vale", "Ahmed ould Daddah"), added to NAME_PARTICLES.
NAME_PARTICLES = NAME_PARTICLES | {"do", "ould", "e"}
#: Role words in ROLE_STOP that are a role all the same when the text gives them to one named person
#: ("Tanaba, leader of the rebel faction"; "X is the leader of the party").
ROLE_ALONE = frozenset({"leader"})
#: Nouns for an organisation's seat: "its headquarters in Lisra" (graph/nlp/extractors/places.py).
SEAT_NOUNS = frozenset({"headquarters", "hq", "seat", "head-office"})
#: More place nouns after a name ("the Nesk enclave"), added to PLACE_NOUNS.
PLACE_NOUNS = PLACE_NOUNS | {"enclave", "exclave"}
#: Nouns that describe a place as lying in another: "Nesk, an enclave in Arland", "Keral is a town in Borvia".
PLACE_DESCRIPTIONS = SETTLEMENT_NOUNS | PLACE_NOUNS | {"suburb", "neighbourhood", "neighborhood", "area",
                                                     "resort", "outpost", "hamlet", "municipality"}
#: Nouns for a company that owns another: "Orbis's parent company, Zentra" (Orbis memberOf Zentra).
PARENT_NOUNS = frozenset({"parent", "owner", "parent-company"})
#: Nouns for a part of an organisation someone runs or works in: "X runs the cloud unit at Orbis".
UNIT_NOUNS = frozenset({"unit", "division", "arm", "branch", "department", "team", "wing", "subsidiary", "office",
                        "bureau", "section", "business"})
#: Nouns for people or bodies acting for a country that a demonym names: "Arlandian officials met Borvian
#: delegations", "Borvian forces fired" (graph/nlp/document.py). Also, with "of", for the countries named:
#: "the leaders of Arland and Borvia signed".
DEMONYM_PROXIES = frozenset({
    "official", "delegation", "delegate", "diplomat", "negotiator", "force", "troop", "military", "army",
    "navy", "authority", "government", "leader", "leadership", "police", "soldier", "warplane", "jet",
    "minister", "ministry", "envoy", "representative", "administration", "parliament", "lawmaker", "regime",
})
#: Of those, the ones that name one person in the singular ("the Latvian envoy" is someone the text named,
#: found by coreference): only their plural stands for the country.
PERSON_PROXIES = frozenset({"official", "delegate", "diplomat", "negotiator", "leader", "soldier", "minister",
                            "envoy", "representative", "lawmaker"})
#: Last words of the names of rooms and buildings: "in the Oval Office" is a place, not an organisation,
#: when the article never has it act (graph/nlp/names.py).
ROOM_WORDS = frozenset({"office", "room", "chamber", "hall", "palace", "building", "tower", "residence",
                        "garden", "lawn", "lobby", "courtyard", "wing", "suite"})
#: Words that make a name a state's formal name: "Republic of Arland", "the Borvian Federation".
STATE_FORM_WORDS = frozenset({"republic", "kingdom", "federation", "state", "commonwealth", "principality",
                              "sultanate", "emirate", "confederation"})
#: Of those, the ones a demonym comes before ("the Borvian Federation"; not "Islamic State", nor a union
#: of states: "the African Union" is a bloc).
DEMONYM_STATE_WORDS = STATE_FORM_WORDS - {"state"}
#: Words that open a credit line ("Reporting by X; Editing by Y"): the reporting, not the story.
CREDIT_WORDS = frozenset({"reporting", "editing", "writing", "additional", "compiled", "contributing"})

#: Words of religious and ethnic group names the NER types NORP ("Shia Muslim", "Coptic Christian"): never
#: a person's name, whatever their shape (graph/nlp/names.py).
GROUP_WORDS = frozenset({"muslim", "muslims", "christian", "christians", "jewish", "jew", "jews", "sunni", "shia",
                         "shiite", "catholic", "catholics", "protestant", "orthodox", "hindu", "buddhist", "arab",
                         "arabs", "kurd", "kurds", "kurdish", "druze", "alawite", "sikh", "evangelical", "coptic",
                         "maronite", "roma", "bedouin", "tamil", "pashtun", "hazara", "tutsi", "hutu", "berber"})

# --- issue 18: stances, events and their doers (events branch) ---------------------------------------
# Added in a block of their own; the extractors merge them into the tables above (see _merge_senses).

#: More verbs whose object is an agreement: "announced a trade pact", "hailed the accord",
#: "the pact, championed by X", "annulled the deal", "railed against the plan".
MORE_AGREEMENT_VERBS: dict[str, str] = {
    "announce": "agreedTo", "meet": "agreedTo", "honour": "agreedTo", "honor": "agreedTo",
    "hail": "supports", "champion": "supports", "endorse": "supports", "applaud": "supports", "laud": "supports",
    "commend": "supports", "favour": "supports", "favor": "supports", "defend": "supports",
    "promote": "supports", "advocate": "supports",
    "annul": "rejected", "overturn": "rejected", "invalidate": "rejected", "nullify": "rejected",
    "quash": "rejected", "void": "rejected", "repeal": "rejected", "revoke": "rejected", "cancel": "rejected",
    "terminate": "rejected", "torpedo": "rejected",
    "object": "opposes", "blast": "opposes", "assail": "opposes", "protest": "opposes", "lambast": "opposes",
    "lambaste": "opposes", "deplore": "opposes", "rail": "opposes", "resist": "opposes",
    "facilitate": "negotiated", "arrange": "negotiated", "draft": "negotiated",
}
#: More verbs whose object is an actor: "lambasted Borvia", "shelled the town".
MORE_ACTOR_VERBS: dict[str, str] = {
    "blast": "opposes", "assail": "opposes", "lambast": "opposes", "lambaste": "opposes", "rail": "opposes",
    "invade": "attacked", "occupy": "attacked", "ambush": "attacked", "storm": "attacked",
}
#: Verbs that mean a relation only with a particle, read with their agreement object: "struck down the law",
#: "tore up the deal", "signed off on", "lashed out at".
MORE_PARTICLE_VERBS: dict[tuple[str, str], str] = {
    ("strike", "down"): "rejected", ("tear", "up"): "rejected", ("rip", "up"): "rejected",
    ("throw", "out"): "rejected", ("sign", "off"): "agreedTo", ("lash", "out"): "opposes",
    ("speak", "out"): "opposes",
}
#: Particle verbs whose object may be an actor too, through these prepositions: "lashed out at Borvia".
PARTICLE_ACTOR_VERBS: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    ("lash", "out"): ("opposes", frozenset({"at", "against"})),
    ("speak", "out"): ("opposes", frozenset({"against"})),
}
#: Prepositions through which more verbs reach their object: "railing against the deal", "voted against it".
MORE_VERB_PREPS: dict[str, frozenset[str]] = {
    "rail": frozenset({"against", "at"}), "object": frozenset({"to"}), "protest": frozenset({"against"}),
    "lash": frozenset({"at", "against"}), "speak": frozenset({"against"}),
}
#: Verbs read only through their preposition: "railed against" (not "railed the deal").
MORE_PREP_ONLY = frozenset({"rail", "object"})
#: (verb, preposition) -> relation to the object: "voted against the treaty", "voted for the plan".
PREP_SENSES: dict[tuple[str, str], str] = {
    ("vote", "against"): "rejected", ("vote", "for"): "supports", ("campaign", "against"): "opposes",
    ("campaign", "for"): "supports", ("argue", "against"): "opposes",
    ("stand", "by"): "supports", ("fight", "against"): "opposes", ("side", "with"): "supports",
}
#: Verbs that carry out an event already named: "agreed to conduct a prisoner swap", "to hold talks".
MORE_CARRY_VERBS = frozenset({"conduct", "hold", "carry", "stage", "complete", "rejoin", "attend", "join"})
#: Nouns that stand for the actors they belong to as doers: "the leaders of Arland and Borvia signed",
#: "delegations from both countries agreed", "member states of the bloc approved".
REPRESENTATIVE_NOUNS = frozenset({"leader", "leaders", "head", "heads", "president", "presidents", "premier",
                                  "nation", "nations", "state", "states", "member", "members", "chief",
                                  "representative", "representatives", "delegation", "delegations",
                                  "minister", "ministers", "negotiator", "negotiators", "envoy", "envoys",
                                  "official", "officials", "government", "governments", "side", "sides"})
#: Nouns of an attack whose "of" names the victim: "an invasion of Borvia", "the shelling of the town".
OF_ATTACK_NOUNS = frozenset({"invasion", "occupation", "bombardment", "shelling", "bombing", "blockade",
                             "annexation", "siege"})
#: Verbs that, with these object nouns, mean a relation between actors: "shook hands".
NOUN_IDIOMS: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    ("shake", "hand"): ("metWith", frozenset({"with"})), ("shake", "hands"): ("metWith", frozenset({"with"})),
}

# the block's words merged into the tables the rules read (added words only; "endorse" is support, not assent)
AGREEMENT_VERBS.update(MORE_AGREEMENT_VERBS)
ACTOR_VERBS.update(MORE_ACTOR_VERBS)
PARTICLE_VERBS.update(MORE_PARTICLE_VERBS)
VERB_PREPS.update({k: VERB_PREPS.get(k, frozenset()) | v for k, v in MORE_VERB_PREPS.items()})
PREP_ONLY = PREP_ONLY | MORE_PREP_ONLY
CARRY_VERBS = CARRY_VERBS | MORE_CARRY_VERBS
#: Nouns of a stance towards an agreement: "the signing of the accord", "Arland's approval of the plan",
#: "expressed support for the truce", "in support of the deal".
STANCE_NOUNS: dict[str, str] = {
    "signing": "signed", "signature": "signed", "ratification": "signed",
    "approval": "agreedTo", "acceptance": "agreedTo", "adoption": "agreedTo",
    "endorsement": "supports", "support": "supports", "backing": "supports",
    "rejection": "rejected", "veto": "rejected", "repudiation": "rejected", "withdrawal": "rejected",
    "opposition": "opposes", "condemnation": "opposes", "criticism": "opposes",
    "mediation": "negotiated",
}
#: Prepositions that name what a stance noun is about: "support for", "opposition to", "withdrawal from".
STANCE_NOUN_PREPS = frozenset({"of", "for", "to", "from"})
#: Nouns for people by their stance: "a strong critic of the deal", "X, a backer of the plan".
AGENT_NOUNS: dict[str, str] = {
    "critic": "opposes", "opponent": "opposes", "protester": "opposes", "protestor": "opposes",
    "foe": "opposes", "detractor": "opposes", "supporter": "supports", "backer": "supports",
    "proponent": "supports", "advocate": "supports", "champion": "supports", "defender": "supports",
    "architect": "negotiated", "mediator": "negotiated", "broker": "negotiated", "signatory": "signed",
}
#: Verbs that put a stance noun on their subject: "voiced support for", "gave its backing to".
LIGHT_STANCE_VERBS = frozenset({"express", "voice", "give", "offer", "lend", "declare", "announce", "signal",
                                "pledge", "reiterate", "show", "throw", "add", "put", "register", "state"})
#: More heads of agreements and events: "Resolution 2231", "the handover of the district", "the coup",
#: "the court's ruling", "a walkout by dock workers".
MORE_AGREEMENT_HEADS: dict[str, str] = {
    "resolution": "Agreement", "handover": "Event", "hand-over": "Event", "coup": "Event", "putsch": "Event",
    "ruling": "Event", "verdict": "Event", "walkout": "Event", "ceasefires": "Ceasefire",
}
#: Of these, the ones too vague alone ("a resolution of the dispute" needs "UN", a number or a vote).
MORE_NEEDS_MODIFIER = frozenset({"resolution", "walkout"})
AGREEMENT_HEADS.update(MORE_AGREEMENT_HEADS)
NEEDS_MODIFIER = NEEDS_MODIFIER | MORE_NEEDS_MODIFIER
NAMED_EVENT_HEADS = NAMED_EVENT_HEADS | {"resolution"}
#: Verbs that are not of speech but carry a quote as their words: "praised Roe for "...", "hailed it as "..."".
QUOTE_CARRYING_VERBS = frozenset({"praise", "welcome", "thank", "criticise", "criticize", "condemn", "hail",
                                  "slam", "blame", "accuse", "applaud", "commend", "quote", "dismiss", "mock",
                                  "reject", "defend", "urge", "plead", "vow", "pledge", "question"})
#: Verbs of issuing a document: "issued a statement saying ...", the issuer speaks.
ISSUING_VERBS = frozenset({"issue", "release", "publish", "put", "send", "post", "sign", "adopt", "deliver"})
#: Nouns for a country's state bodies, forces and acts: "the Israeli military", "Latvian officials",
#: "Israeli strikes"; with a demonym they stand for the country as a doer (see extractors.arguments).
DEMONYM_BODIES = frozenset({"government", "military", "army", "navy", "forces", "force", "troops", "soldiers",
                            "officials", "authorities", "ministry", "leadership", "delegation", "negotiators",
                            "side", "administration", "cabinet", "parliament", "regime", "diplomats", "police",
                            "jets", "warplanes", "leaders"})  # not "president", "leader": a person named elsewhere
MORE_AGREEMENT_HEADS_2: dict[str, str] = {"package": "Proposal"}
AGREEMENT_HEADS.update(MORE_AGREEMENT_HEADS_2)
NEEDS_MODIFIER = NEEDS_MODIFIER | {"package"}
AGREEMENT_VERBS.update({"prepare": "proposed", "draft": "proposed"})
STANCE_NOUNS.update({"favour": "supports", "favor": "supports"})
#: "the deal has to be signed by both governments": obligation is not yet done.
IRREALIS_VERBS = IRREALIS_VERBS | {"have", "ought"}
#: Nouns that an agreement noun before them only describes: "a conference call" is a call, not a summit.
DESCRIBED_BY_EVENT = frozenset({"call", "phone", "room", "hall", "venue", "centre", "center", "host", "organiser",
                                "organizer", "site", "season", "table"})
#: Talks in person: "talks between A and B" is a meeting (gold-standard readers count it as one).
CONTACT_NOUNS.update({"talks": "metWith", "talk": "metWith", "negotiation": "metWith", "negotiations": "metWith"})
#: Verbs that cast something as good or bad: "cast the deal as essential", "called the pact a betrayal".
DESCRIBING_VERBS = frozenset({"cast", "describe", "call", "label", "brand", "term", "dub", "characterise",
                              "characterize", "portray", "see", "view", "regard", "consider", "deem", "paint",
                              "hail", "praise", "denounce", "condemn", "criticise", "criticize"})
#: Words that cast an agreement as good: the describer supports it.
POSITIVE_WORDS = frozenset({"essential", "historic", "good", "great", "positive", "important", "vital", "crucial",
                            "breakthrough", "milestone", "victory", "success", "step", "achievement", "fair",
                            "balanced", "welcome", "excellent", "landmark", "win", "triumph", "necessary",
                            "meaningful", "significant", "major", "beneficial", "constructive", "promising"})
#: Words that cast an agreement as bad: the describer opposes it.
NEGATIVE_WORDS = frozenset({"betrayal", "surrender", "disaster", "illegitimate", "null", "void", "mistake",
                            "sham", "failure", "humiliation", "unacceptable", "illegal", "invalid", "farce",
                            "capitulation", "dangerous", "bad", "terrible", "catastrophe", "fraud", "insult",
                            "worthless", "unfair", "disgrace", "shameful", "flawed", "threat", "trap"})
#: Words that turn a description round: "a step backwards", "far from a success", "not a victory".
DESCRIPTION_NEGATORS = frozenset({"not", "no", "never", "backward", "backwards", "far", "hardly", "anything"})
#: Agreement verbs that hold only for agreements, not events: "announced a pact" is agreeing to it,
#: "announced the talks" or "met the summit's deadline" is not.
AGREEMENT_ONLY_VERBS = frozenset({"announce", "meet", "honour", "honor"})
POSITIVE_WORDS = POSITIVE_WORDS - {"major", "significant"}  # size, not approval
#: Verbs whose meeting or call object has not happened: "announced talks with X", "proposed a meeting".
UNHELD_EVENT_VERBS = frozenset({"announce", "plan", "propose", "seek", "want", "call", "demand", "reject",
                                "refuse", "cancel", "postpone", "schedule", "offer", "suggest", "urge", "prepare",
                                "request", "decline", "delay", "rule", "consider", "expect"})

# --- demonym titles (graph/nlp/extractors/nationalities.py) ----------------------------------------------

#: Heads of titles held by people who act for a state: a demonym on one ("French President X", "his Argentine
#: counterpart") says which country they belong to. Not "journalist" or "professor": there the demonym is origin.
STATE_TITLE_HEADS = frozenset({
    "president", "president-elect", "premier", "minister", "chancellor", "secretary", "ambassador", "envoy",
    "diplomat", "counterpart", "negotiator", "spokesman", "spokeswoman", "spokesperson", "official", "king",
    "queen", "monarch", "emperor", "emir", "sultan", "general", "commander", "admiral", "marshal", "colonel",
    "senator", "lawmaker", "mp", "governor", "leader", "head",
})
#: Verbs of making something known: with a plan or proposal as object they put it forward ("announced plans to
#: cut jobs" is proposed), with an agreement they agree to it ("announced a trade pact").
UNVEILING_VERBS = frozenset({"announce", "unveil", "present", "outline", "reveal"})
