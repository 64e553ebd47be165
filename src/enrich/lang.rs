//! Language: the ISO 639-1 code of an article's language, from its record when it gives one,
//! else detected from the opening of its text.
//!
//! English is recognised first by its function words (`the`, `of`, `said`), which settles most
//! news in a few hundred bytes; so does an ASCII sample without any function word of another
//! language (tables and price lists); other text goes to `whatlang`'s trigram detector. Only the
//! opening of an article is read, so detection costs the same for any article length.

use whatlang::Lang;

use super::text;

/// Bytes of title and body read to detect the language.
const SAMPLE_BYTES: usize = 400;
/// Words in the sample needed before the English test decides.
const MIN_WORDS: usize = 6;
/// Share of English function words (in hundredths) that marks a sample as English.
const ENGLISH_SHARE: usize = 12;
/// Below `ENGLISH_SHARE` but at least this share, a sample is English text with many names
/// and numbers (a results list) as likely as another language: left undetermined unless the
/// detector is sure.
const SOME_ENGLISH_SHARE: usize = 3;
/// The detector's confidence needed to name a language.
const MIN_CONFIDENCE: f64 = 0.5;
/// ... and to name another language than English for a sample with some English words.
const SURE_CONFIDENCE: f64 = 0.9;

/// Whether a lower-case ASCII word is a frequent English word that is rare as a word in other
/// languages written in Latin script (`in`, `on`, `an`, `was`, `is` are left out: German,
/// French or Dutch use them too).
fn is_english_word(lower: &[u8]) -> bool {
    matches!(
        lower,
        b"the"
            | b"of"
            | b"and"
            | b"to"
            | b"for"
            | b"that"
            | b"with"
            | b"as"
            | b"by"
            | b"at"
            | b"from"
            | b"said"
            | b"has"
            | b"have"
            | b"it"
            | b"be"
            | b"are"
            | b"his"
            | b"her"
            | b"will"
            | b"its"
            | b"after"
            | b"were"
            | b"their"
            | b"this"
            | b"which"
            | b"been"
            | b"who"
            | b"but"
            | b"they"
            | b"not"
            | b"he"
            | b"she"
            | b"would"
            | b"says"
            | b"into"
            | b"than"
            | b"more"
            | b"new"
            | b"first"
            | b"could"
            | b"about"
            | b"when"
            | b"up"
            | b"had"
            | b"also"
            | b"two"
            | b"year"
    )
}

/// The code of a record's `lang` value (`en`, `en-US`, `EN_gb`, `fr`): its primary subtag in
/// lower case; `None` when it is not two or three letters.
pub(crate) fn normalise(lang: &str) -> Option<String> {
    let primary = lang.trim().split(['-', '_']).next().unwrap_or_default();
    let valid =
        (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
    valid.then(|| primary.to_ascii_lowercase())
}

/// The language of a title and body as an ISO 639-1 code (`en`, `fr`, `de`); `None` when the
/// text is too short or too mixed to tell.
pub(crate) fn detect(title: &str, body: &str) -> Option<&'static str> {
    let body_part = text::prefix(body, SAMPLE_BYTES.saturating_sub(title.len()));
    let (words, english, foreign) = english_words(title, body_part);
    if words >= MIN_WORDS && english * 100 >= words * ENGLISH_SHARE {
        return Some("en");
    }
    // The detector costs about the same for two words as for a paragraph (it scores every
    // language's profile): a few Latin letters cannot name a language, and a JSON Lines file of
    // one-word records would spend its time there. Scripts without spaces (Chinese, Japanese,
    // Thai) read as one long word, so only an ASCII sample is judged by its words.
    let ascii = title.is_ascii() && body_part.is_ascii();
    if words < MIN_WORDS && ascii {
        return None;
    }
    // An ASCII sample without any of the function words other Latin-script languages cannot do
    // without (`der`, `les`, `que`, `och`, `yang`) is English text of few function words (a
    // results table, a price list) when it holds one, else undetermined: the detector would
    // only guess there, at the cost of scoring every profile.
    if ascii && foreign == 0 {
        return (english > 0).then_some("en");
    }
    let some_english = english * 100 >= words * SOME_ENGLISH_SHARE && english > 0;
    let mut sample = String::with_capacity(title.len() + body_part.len() + 1);
    sample.push_str(title);
    sample.push('\n');
    sample.push_str(body_part);
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() || info.confidence() < MIN_CONFIDENCE {
        return None;
    }
    if some_english && info.lang() != Lang::Eng && info.confidence() < SURE_CONFIDENCE {
        return None;
    }
    iso_639_1(info.lang())
}

/// Whether an ASCII word, as written, is a frequent lower-case function word of another
/// language in Latin script that English text does not use (`van`, `do`, `per`, `non`, `com`,
/// `al` and `et` are left out: `et al.`, `.com`, `non-profit`).
fn is_foreign_word(word: &[u8]) -> bool {
    matches!(
        word,
        // German
        b"der" | b"und" | b"das" | b"ist" | b"nicht" | b"mit" | b"ein" | b"eine" | b"einen"
            | b"dem" | b"den" | b"des" | b"von" | b"zu" | b"im" | b"auf" | b"sich" | b"auch"
            | b"wird" | b"sind" | b"wurde" | b"nach" | b"bei"
            // French
            | b"le" | b"la" | b"les" | b"est" | b"une" | b"du" | b"pour" | b"dans" | b"qui"
            | b"pas" | b"sur" | b"au" | b"aux" | b"avec" | b"cette" | b"sont" | b"leur"
            // Spanish, Italian, Portuguese
            | b"el" | b"los" | b"las" | b"del" | b"que" | b"por" | b"con" | b"una" | b"para"
            | b"su" | b"sus" | b"fue" | b"como" | b"pero" | b"se" | b"il" | b"di" | b"che"
            | b"della" | b"delle" | b"nel" | b"nella" | b"alla" | b"sono" | b"gli" | b"os"
            | b"da" | b"em" | b"uma" | b"ao" | b"dos" | b"foi" | b"mais"
            // Dutch, Scandinavian
            | b"het" | b"een" | b"niet" | b"dat" | b"zijn" | b"voor" | b"ook" | b"maar"
            | b"wordt" | b"och" | b"att" | b"det" | b"som" | b"av" | b"med" | b"inte" | b"og"
            | b"er" | b"til" | b"ikke" | b"har" | b"ett"
            // Polish, Czech, Romanian, Turkish
            | b"nie" | b"jest" | b"na" | b"je" | b"ze" | b"pro" | b"si" | b"cu" | b"pe"
            | b"din" | b"ve" | b"bir" | b"bu" | b"ile"
            // Indonesian and Malay, Tagalog, Swahili
            | b"yang" | b"dan" | b"ini" | b"itu" | b"dengan" | b"untuk" | b"dari" | b"ang"
            | b"ng" | b"mga" | b"sa" | b"ya" | b"wa" | b"kwa"
    )
}

/// The words of the sample, how many of them are English function words and how many are
/// another language's (see [`is_foreign_word`]).
fn english_words(title: &str, body: &str) -> (usize, usize, usize) {
    let (mut words, mut english, mut foreign) = (0usize, 0usize, 0usize);
    let mut count = |word: &[u8], ascii: bool| {
        if word.is_empty() {
            return;
        }
        words += 1;
        // Accented letters are evidence against English: such a word only counts.
        if ascii && word.len() <= 5 {
            let mut lower = [0u8; 5];
            for (slot, byte) in lower.iter_mut().zip(word) {
                *slot = byte.to_ascii_lowercase();
            }
            english += usize::from(is_english_word(&lower[..word.len()]));
        }
        if ascii {
            foreign += usize::from(is_foreign_word(word));
        }
    };
    for text in [title, body] {
        if text.is_ascii() {
            // The common case, split byte by byte.
            for word in text.as_bytes().split(|b| !b.is_ascii_alphabetic()) {
                count(word, true);
            }
        } else {
            for word in text.split(|c: char| !c.is_alphabetic()) {
                count(word.as_bytes(), word.is_ascii());
            }
        }
    }
    (words, english, foreign)
}

/// The ISO 639-1 code of a detected language.
fn iso_639_1(lang: Lang) -> Option<&'static str> {
    Some(match lang {
        Lang::Epo => "eo",
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Ben => "bn",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ukr => "uk",
        Lang::Kat => "ka",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Heb => "he",
        Lang::Yid => "yi",
        Lang::Pol => "pl",
        Lang::Amh => "am",
        Lang::Jav => "jv",
        Lang::Kor => "ko",
        Lang::Nob => "nb",
        Lang::Dan => "da",
        Lang::Swe => "sv",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Nld => "nl",
        Lang::Hun => "hu",
        Lang::Ces => "cs",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mar => "mr",
        Lang::Kan => "kn",
        Lang::Ron => "ro",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Mkd => "mk",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tam => "ta",
        Lang::Vie => "vi",
        Lang::Urd => "ur",
        Lang::Tha => "th",
        Lang::Guj => "gu",
        Lang::Uzb => "uz",
        Lang::Pan => "pa",
        Lang::Aze => "az",
        Lang::Ind => "id",
        Lang::Tel => "te",
        Lang::Pes => "fa",
        Lang::Mal => "ml",
        Lang::Ori => "or",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Tuk => "tk",
        Lang::Aka => "ak",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Slk => "sk",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Hye => "hy",
        Lang::Cym => "cy",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Short news items written for this test, one per language.
    const SAMPLES: &[(&str, &str, &str)] = &[
        (
            "en",
            "Minister resigns over budget row",
            "The finance minister resigned on Tuesday after a dispute with the prime minister \
             over spending cuts, officials said.",
        ),
        (
            "en",
            "Storm closes ports",
            "Ports along the coast were closed as the storm moved north.",
        ),
        (
            "fr",
            "Le gouvernement présente son budget",
            "Le ministre des Finances a présenté mardi un budget marqué par des économies dans \
             les dépenses publiques, selon un communiqué.",
        ),
        (
            "de",
            "Regierung legt Haushalt vor",
            "Der Finanzminister hat am Dienstag einen Haushalt mit deutlichen Einsparungen \
             vorgelegt, teilte das Ministerium mit.",
        ),
        (
            "es",
            "El Gobierno presenta los presupuestos",
            "El ministro de Hacienda presentó el martes unos presupuestos con fuertes recortes \
             del gasto público, según un comunicado oficial.",
        ),
        (
            "it",
            "Il governo presenta la manovra",
            "Il ministro dell'Economia ha presentato martedì una manovra con forti tagli alla \
             spesa pubblica, secondo una nota del ministero.",
        ),
        (
            "pt",
            "Governo apresenta orçamento",
            "O ministro das Finanças apresentou na terça-feira um orçamento com cortes nas \
             despesas públicas, segundo um comunicado do governo.",
        ),
        (
            "nl",
            "Kabinet presenteert begroting",
            "De minister van Financiën heeft dinsdag een begroting gepresenteerd met forse \
             bezuinigingen op de overheidsuitgaven, meldde het ministerie.",
        ),
        (
            "ru",
            "Правительство представило бюджет",
            "Министр финансов во вторник представил бюджет с сокращением государственных \
             расходов, сообщило министерство.",
        ),
        (
            "zh",
            "政府公布预算",
            "财政部长周二公布了削减公共开支的预算案，财政部在一份声明中说。",
        ),
        (
            "ar",
            "الحكومة تقدم الميزانية",
            "قدم وزير المالية يوم الثلاثاء ميزانية تتضمن تخفيضات في الإنفاق العام، وفقا لبيان \
             الوزارة.",
        ),
    ];

    #[test]
    fn short_news_items_get_their_language() {
        for (want, title, body) in SAMPLES {
            assert_eq!(detect(title, body), Some(*want), "{title}");
        }
    }

    #[test]
    fn too_little_text_gives_no_language() {
        assert_eq!(detect("", ""), None);
        assert_eq!(detect("", "12 34"), None);
        assert_eq!(detect("t", ""), None);
        assert_eq!(detect("Il governo", "presenta la manovra"), None);
        // Chinese has no spaces: its three "words" still go to the detector.
        assert_eq!(
            detect(
                "政府公布预算",
                "财政部长周二公布了削减公共开支的预算案，财政部在一份声明中说。"
            ),
            Some("zh")
        );
    }

    #[test]
    fn tables_are_english_or_undetermined_without_the_detector() {
        // Few function words, none of another language: English.
        assert_eq!(
            detect(
                "ACME CORP <ACME> 4TH QTR NET",
                "SPRINGFIELD, Ill., Feb 26 - Shr 34 cts vs 1.19 dlrs Net 807,000 vs 2,858,000 \
                 Revs 20.9 mln vs 19.6 mln Year Shr 1.22 dlrs vs 1.06 dlrs"
            ),
            Some("en")
        );
        // No function word of any language: undetermined.
        assert_eq!(
            detect(
                "CORN SPREADS",
                "APRIL 7 - 1000 hrs cdt MONTHS LAST DIFFERENCE Jul/May 3-1/4 over 3-1/2 Dec/Jul"
            ),
            None
        );
        // Another language's function words, even beside an English one, go to the detector.
        assert_eq!(
            detect(
                "Pemerintah umumkan anggaran",
                "Menteri keuangan mengumumkan anggaran yang memangkas belanja publik pada hari \
                 Selasa, kata kementerian dalam sebuah pernyataan resmi untuk media."
            ),
            Some("id")
        );
    }

    #[test]
    fn record_codes_are_normalised() {
        assert_eq!(normalise("en-US").as_deref(), Some("en"));
        assert_eq!(normalise(" FR ").as_deref(), Some("fr"));
        assert_eq!(normalise("pt_BR").as_deref(), Some("pt"));
        assert_eq!(normalise("english"), None);
        assert_eq!(normalise(""), None);
    }
}
