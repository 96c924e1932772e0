// Places, organisations and sentence templates of the synthetic corpus, and the renderer of the
// template language described in lexicon.h.
//
// Writing rules the templates follow (CheckLexicon() enforces the mechanical ones):
//   - Entity names appear only through slots, never in the fixed text, so that the set of
//     entities a renderer reports is exactly the set a reader (or the gazetteer) finds.
//   - No entity is the grammatical subject of a verb that agrees in gender or number (Arabic,
//     Russian, French): "the government of {C2}", "a spokesman for {I1}" instead. The names'
//     genders differ and the templates do not know them.
//   - Russian and French slots carry the case or article they need ({C1.gen}, {C1.in}, {T1.of}).
//   - Numbers with counted nouns use the {N|a|b|c} form where the language needs agreement.
#include "synth/lexicon.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <map>

namespace markaz::synth {
namespace {

using K = EntityKind;

// The data below is laid out by hand as tables, with line breaks inside templates at choice
// boundaries; clang-format would put one field per line and split strings mid-choice.
// clang-format off

// Columns: id, kind, country (cities), lat, lon, names {ar, en, fr, ru, fa}.
// Russian names carry {nominative, 0, genitive, prepositional}.
constexpr Entity kEntities[] = {
    // Countries.
    {"place:iraq", K::kCountry, "", 33.2232, 43.6793,
     {{{"العراق"}}, {{"Iraq"}}, {{"Irak", 'v'}}, {{"Ирак", 0, "Ирака", "Ираке"}}, {{"عراق"}}}},
    {"place:syria", K::kCountry, "", 34.8021, 38.9968,
     {{{"سوريا"}}, {{"Syria"}}, {{"Syrie", 'f'}}, {{"Сирия", 0, "Сирии", "Сирии"}}, {{"سوریه"}}}},
    {"place:iran", K::kCountry, "", 32.4279, 53.6880,
     {{{"إيران"}}, {{"Iran"}}, {{"Iran", 'v'}}, {{"Иран", 0, "Ирана", "Иране"}}, {{"ایران"}}}},
    {"place:russia", K::kCountry, "", 61.5240, 105.3188,
     {{{"روسيا"}}, {{"Russia"}}, {{"Russie", 'f'}}, {{"Россия", 0, "России", "России"}},
      {{"روسیه"}}}},
    {"place:turkey", K::kCountry, "", 38.9637, 35.2433,
     {{{"تركيا"}}, {{"Turkey"}}, {{"Turquie", 'f'}}, {{"Турция", 0, "Турции", "Турции"}},
      {{"ترکیه"}}}},
    {"place:jordan", K::kCountry, "", 30.5852, 36.2384,
     {{{"الأردن"}}, {{"Jordan"}}, {{"Jordanie", 'f'}}, {{"Иордания", 0, "Иордании", "Иордании"}},
      {{"اردن"}}}},
    {"place:lebanon", K::kCountry, "", 33.8547, 35.8623,
     {{{"لبنان"}}, {{"Lebanon"}}, {{"Liban", 'm'}}, {{"Ливан", 0, "Ливана", "Ливане"}},
      {{"لبنان"}}}},
    {"place:egypt", K::kCountry, "", 26.8206, 30.8025,
     {{{"مصر"}}, {{"Egypt"}}, {{"Égypte", 'v'}}, {{"Египет", 0, "Египта", "Египте"}}, {{"مصر"}}}},
    {"place:saudi-arabia", K::kCountry, "", 23.8859, 45.0792,
     {{{"السعودية"}, {"المملكة العربية السعودية"}},
      {{"Saudi Arabia"}},
      {{"Arabie saoudite", 'v'}},
      {{"Саудовская Аравия", 0, "Саудовской Аравии", "Саудовской Аравии"}},
      {{"عربستان سعودی"}}}},
    {"place:yemen", K::kCountry, "", 15.5527, 48.5164,
     {{{"اليمن"}}, {{"Yemen"}}, {{"Yémen", 'm'}}, {{"Йемен", 0, "Йемена", "Йемене"}}, {{"یمن"}}}},
    {"place:libya", K::kCountry, "", 26.3351, 17.2283,
     {{{"ليبيا"}}, {{"Libya"}}, {{"Libye", 'f'}}, {{"Ливия", 0, "Ливии", "Ливии"}}, {{"لیبی"}}}},
    {"place:qatar", K::kCountry, "", 25.3548, 51.1839,
     {{{"قطر"}}, {{"Qatar"}}, {{"Qatar", 'm'}}, {{"Катар", 0, "Катара", "Катаре"}}, {{"قطر"}}}},
    {"place:uae", K::kCountry, "", 23.4241, 53.8478,
     {{{"الإمارات"}},
      {{"United Arab Emirates", 't'}, {"UAE", 't'}},
      {{"Émirats arabes unis", 'p'}},
      {{"ОАЭ", 0, "ОАЭ", "ОАЭ"}},
      {{"امارات"}}}},
    {"place:kuwait", K::kCountry, "", 29.3117, 47.4818,
     {{{"الكويت"}}, {{"Kuwait"}}, {{"Koweït", 'm'}}, {{"Кувейт", 0, "Кувейта", "Кувейте"}},
      {{"کویت"}}}},
    {"place:afghanistan", K::kCountry, "", 33.9391, 67.7100,
     {{{"أفغانستان"}},
      {{"Afghanistan"}},
      {{"Afghanistan", 'v'}},
      {{"Афганистан", 0, "Афганистана", "Афганистане"}},
      {{"افغانستان"}}}},
    {"place:germany", K::kCountry, "", 51.1657, 10.4515,
     {{{"ألمانيا"}}, {{"Germany"}}, {{"Allemagne", 'v'}}, {{"Германия", 0, "Германии", "Германии"}},
      {{"آلمان"}}}},
    {"place:france", K::kCountry, "", 46.2276, 2.2137,
     {{{"فرنسا"}}, {{"France"}}, {{"France", 'f'}}, {{"Франция", 0, "Франции", "Франции"}},
      {{"فرانسه"}}}},
    {"place:united-states", K::kCountry, "", 37.0902, -95.7129,
     {{{"الولايات المتحدة"}},
      {{"United States", 't'}},
      {{"États-Unis", 'p'}},
      {{"США", 0, "США", "США"}},
      {{"آمریکا"}, {"ایالات متحده"}}}},
    {"place:united-kingdom", K::kCountry, "", 55.3781, -3.4360,
     {{{"بريطانيا"}, {"المملكة المتحدة"}},
      {{"United Kingdom", 't'}, {"Britain"}},
      {{"Royaume-Uni", 'm'}},
      {{"Великобритания", 0, "Великобритании", "Великобритании"}},
      {{"بریتانیا"}}}},
    {"place:tunisia", K::kCountry, "", 33.8869, 9.5375,
     {{{"تونس"}}, {{"Tunisia"}}, {{"Tunisie", 'f'}}, {{"Тунис", 0, "Туниса", "Тунисе"}},
      {{"تونس"}}}},

    // Cities. A city that shares its name with its country (Kuwait, Tunis in Arabic, Algiers)
    // is left out so that every name points at one entity.
    {"place:baghdad", K::kCity, "place:iraq", 33.3152, 44.3661,
     {{{"بغداد"}}, {{"Baghdad"}}, {{"Bagdad", 'c'}}, {{"Багдад", 0, "Багдада", "Багдаде"}},
      {{"بغداد"}}}},
    {"place:mosul", K::kCity, "place:iraq", 36.3400, 43.1300,
     {{{"الموصل"}}, {{"Mosul"}}, {{"Mossoul", 'c'}}, {{"Мосул", 0, "Мосула", "Мосуле"}},
      {{"موصل"}}}},
    {"place:basra", K::kCity, "place:iraq", 30.5085, 47.7804,
     {{{"البصرة"}}, {{"Basra"}}, {{"Bassorah", 'c'}}, {{"Басра", 0, "Басры", "Басре"}},
      {{"بصره"}}}},
    {"place:erbil", K::kCity, "place:iraq", 36.1911, 44.0092,
     {{{"أربيل"}}, {{"Erbil"}}, {{"Erbil", 'c'}}, {{"Эрбиль", 0, "Эрбиля", "Эрбиле"}},
      {{"اربیل"}}}},
    {"place:kirkuk", K::kCity, "place:iraq", 35.4681, 44.3922,
     {{{"كركوك"}}, {{"Kirkuk"}}, {{"Kirkouk", 'c'}}, {{"Киркук", 0, "Киркука", "Киркуке"}},
      {{"کرکوک"}}}},
    {"place:damascus", K::kCity, "place:syria", 33.5138, 36.2765,
     {{{"دمشق"}}, {{"Damascus"}}, {{"Damas", 'c'}}, {{"Дамаск", 0, "Дамаска", "Дамаске"}},
      {{"دمشق"}}}},
    {"place:aleppo", K::kCity, "place:syria", 36.2021, 37.1343,
     {{{"حلب"}}, {{"Aleppo"}}, {{"Alep", 'c'}}, {{"Алеппо", 0, "Алеппо", "Алеппо"}}, {{"حلب"}}}},
    {"place:homs", K::kCity, "place:syria", 34.7324, 36.7137,
     {{{"حمص"}}, {{"Homs"}}, {{"Homs", 'c'}}, {{"Хомс", 0, "Хомса", "Хомсе"}}, {{"حمص"}}}},
    {"place:raqqa", K::kCity, "place:syria", 35.9594, 39.0079,
     {{{"الرقة"}}, {{"Raqqa"}}, {{"Raqqa", 'c'}}, {{"Ракка", 0, "Ракки", "Ракке"}}, {{"رقه"}}}},
    {"place:tehran", K::kCity, "place:iran", 35.6892, 51.3890,
     {{{"طهران"}}, {{"Tehran"}}, {{"Téhéran", 'c'}}, {{"Тегеран", 0, "Тегерана", "Тегеране"}},
      {{"تهران"}}}},
    {"place:moscow", K::kCity, "place:russia", 55.7558, 37.6173,
     {{{"موسكو"}}, {{"Moscow"}}, {{"Moscou", 'c'}}, {{"Москва", 0, "Москвы", "Москве"}},
      {{"مسکو"}}}},
    {"place:ankara", K::kCity, "place:turkey", 39.9334, 32.8597,
     {{{"أنقرة"}}, {{"Ankara"}}, {{"Ankara", 'c'}}, {{"Анкара", 0, "Анкары", "Анкаре"}},
      {{"آنکارا"}}}},
    {"place:istanbul", K::kCity, "place:turkey", 41.0082, 28.9784,
     {{{"إسطنبول"}}, {{"Istanbul"}}, {{"Istanbul", 'c'}}, {{"Стамбул", 0, "Стамбула", "Стамбуле"}},
      {{"استانبول"}}}},
    // Amman is written with its shadda in Arabic, which also keeps it apart from عمان (Oman) as
    // Persian writes both.
    {"place:amman", K::kCity, "place:jordan", 31.9539, 35.9106,
     {{{"عمّان"}}, {{"Amman"}}, {{"Amman", 'c'}}, {{"Амман", 0, "Аммана", "Аммане"}}, {{"عمان"}}}},
    {"place:beirut", K::kCity, "place:lebanon", 33.8938, 35.5018,
     {{{"بيروت"}}, {{"Beirut"}}, {{"Beyrouth", 'c'}}, {{"Бейрут", 0, "Бейрута", "Бейруте"}},
      {{"بیروت"}}}},
    {"place:cairo", K::kCity, "place:egypt", 30.0444, 31.2357,
     {{{"القاهرة"}}, {{"Cairo"}}, {{"Le Caire", 'c'}}, {{"Каир", 0, "Каира", "Каире"}},
      {{"قاهره"}}}},
    {"place:riyadh", K::kCity, "place:saudi-arabia", 24.7136, 46.6753,
     {{{"الرياض"}}, {{"Riyadh"}}, {{"Riyad", 'c'}}, {{"Эр-Рияд", 0, "Эр-Рияда", "Эр-Рияде"}},
      {{"ریاض"}}}},
    {"place:sanaa", K::kCity, "place:yemen", 15.3694, 44.1910,
     {{{"صنعاء"}}, {{"Sanaa"}}, {{"Sanaa", 'c'}}, {{"Сана", 0, "Саны", "Сане"}}, {{"صنعا"}}}},
    {"place:doha", K::kCity, "place:qatar", 25.2854, 51.5310,
     {{{"الدوحة"}}, {{"Doha"}}, {{"Doha", 'c'}}, {{"Доха", 0, "Дохи", "Дохе"}}, {{"دوحه"}}}},
    {"place:kabul", K::kCity, "place:afghanistan", 34.5553, 69.2075,
     {{{"كابول"}}, {{"Kabul"}}, {{"Kaboul", 'c'}}, {{"Кабул", 0, "Кабула", "Кабуле"}},
      {{"کابل"}}}},
    {"place:berlin", K::kCity, "place:germany", 52.5200, 13.4050,
     {{{"برلين"}}, {{"Berlin"}}, {{"Berlin", 'c'}}, {{"Берлин", 0, "Берлина", "Берлине"}},
      {{"برلین"}}}},
    {"place:paris", K::kCity, "place:france", 48.8566, 2.3522,
     {{{"باريس"}}, {{"Paris"}}, {{"Paris", 'c'}}, {{"Париж", 0, "Парижа", "Париже"}},
      {{"پاریس"}}}},
    {"place:washington", K::kCity, "place:united-states", 38.9072, -77.0369,
     {{{"واشنطن"}},
      {{"Washington"}},
      {{"Washington", 'c'}},
      {{"Вашингтон", 0, "Вашингтона", "Вашингтоне"}},
      {{"واشنگتن"}}}},
    {"place:london", K::kCity, "place:united-kingdom", 51.5074, -0.1278,
     {{{"لندن"}}, {{"London"}}, {{"Londres", 'c'}}, {{"Лондон", 0, "Лондона", "Лондоне"}},
      {{"لندن"}}}},

    // Armed groups.
    {"org:isis", K::kGroup, "", 0, 0,
     {{{"داعش"}, {"تنظيم الدولة"}, {"الدولة الإسلامية"}},
      {{"ISIS"}, {"ISIL"}, {"Islamic State", 't'}, {"Daesh"}},
      {{"État islamique", 'v'}, {"Daech", 'c'}},
      {{"ИГИЛ", 0, "ИГИЛ"}, {"Исламское государство", 0, "Исламского государства"},
       {"ДАИШ", 0, "ДАИШ"}},
      {{"داعش"}, {"دولت اسلامی"}}}},
    {"org:hezbollah", K::kGroup, "", 0, 0,
     {{{"حزب الله"}},
      {{"Hezbollah"}},
      {{"Hezbollah", 'm'}},
      {{"Хезболла", 0, "Хезболлы"}},
      {{"حزب\u200cالله"}}}},
    {"org:taliban", K::kGroup, "", 0, 0,
     {{{"طالبان"}, {"حركة طالبان"}},
      {{"Taliban", 't'}},
      {{"talibans", 'p'}},
      {{"Талибан", 0, "Талибана"}},
      {{"طالبان"}}}},
    {"org:nusra", K::kGroup, "", 0, 0,
     {{{"جبهة النصرة"}},
      {{"Nusra Front", 't'}, {"al-Nusra Front", 't'}},
      {{"Front al-Nosra", 'm'}},
      {{"Джебхат ан-Нусра", 0, "Джебхат ан-Нусра"}},
      {{"جبهه النصره"}}}},

    // International institutions.
    {"org:un", K::kInstitution, "", 0, 0,
     {{{"الأمم المتحدة"}},
      {{"United Nations", 't'}, {"UN", 't'}},
      {{"ONU", 'v'}, {"Nations unies", 'p'}},
      {{"ООН", 0, "ООН"}},
      {{"سازمان ملل"}}}},
    {"org:nato", K::kInstitution, "", 0, 0,
     {{{"حلف شمال الأطلسي"}, {"الناتو"}},
      {{"NATO"}},
      {{"OTAN", 'v'}},
      {{"НАТО", 0, "НАТО"}},
      {{"ناتو"}}}},
    {"org:arab-league", K::kInstitution, "", 0, 0,
     {{{"جامعة الدول العربية"}},
      {{"Arab League", 't'}},
      {{"Ligue arabe", 'f'}},
      {{"Лига арабских государств", 0, "Лиги арабских государств"}},
      {{"اتحادیه عرب"}}}},
    {"org:icrc", K::kInstitution, "", 0, 0,
     {{{"اللجنة الدولية للصليب الأحمر"}, {"الصليب الأحمر"}},
      {{"International Committee of the Red Cross", 't'}, {"ICRC", 't'}, {"Red Cross", 't'}},
      {{"Comité international de la Croix-Rouge", 'm'}, {"CICR", 'm'}},
      {{"Международный комитет Красного Креста", 0, "Международного комитета Красного Креста"},
       {"МККК", 0, "МККК"}},
      {{"کمیته بین\u200cالمللی صلیب سرخ"}, {"صلیب سرخ"}}}},
    {"org:wfp", K::kInstitution, "", 0, 0,
     {{{"برنامج الأغذية العالمي"}},
      {{"World Food Programme", 't'}, {"WFP", 't'}},
      {{"Programme alimentaire mondial", 'm'}, {"PAM", 'm'}},
      {{"Всемирная продовольственная программа", 0, "Всемирной продовольственной программы"},
       {"ВПП", 0, "ВПП"}},
      {{"برنامه جهانی غذا"}}}},
    {"org:iaea", K::kInstitution, "", 0, 0,
     {{{"الوكالة الدولية للطاقة الذرية"}},
      {{"International Atomic Energy Agency", 't'}, {"IAEA", 't'}},
      {{"AIEA", 'v'}, {"Agence internationale de l'énergie atomique", 'v'}},
      {{"МАГАТЭ", 0, "МАГАТЭ"}},
      {{"آژانس بین\u200cالمللی انرژی اتمی"}}}},
    {"org:opcw", K::kInstitution, "", 0, 0,
     {{{"منظمة حظر الأسلحة الكيميائية"}},
      {{"OPCW", 't'}, {"Organisation for the Prohibition of Chemical Weapons", 't'}},
      {{"OIAC", 'v'}},
      {{"ОЗХО", 0, "ОЗХО"}},
      {{"سازمان منع سلاح\u200cهای شیمیایی"}}}},
    {"org:eu", K::kInstitution, "", 0, 0,
     {{{"الاتحاد الأوروبي"}},
      {{"European Union", 't'}, {"EU", 't'}},
      {{"Union européenne", 'v'}, {"UE", 'v'}},
      {{"Евросоюз", 0, "Евросоюза"}, {"Европейский союз", 0, "Европейского союза"},
       {"ЕС", 0, "ЕС"}},
      {{"اتحادیه اروپا"}}}},
};

using T = Template;
constexpr Theme kSec = Theme::kSecurity;
constexpr Theme kDip = Theme::kDiplomacy;
constexpr Theme kHum = Theme::kHumanitarian;

// ---------------------------------------------------------------------------------------------
// English.

constexpr Template kEnTitles[] = {
    {"[Clashes|Fighting|Heavy fighting] reported near {T1} as {G1} [presses|pushes] [north|south|"
     "east|west]",
     kSec},
    {"At least {N1} [killed|dead] in [attack|blast|bombing] in {T1}", kSec},
    {"{C1} and {C2} agree to [share intelligence|coordinate operations] against {G1}", kDip},
    {"[Talks in {T2} end|Meeting in {T2} ends] without [deal|agreement] on {C1}", kDip},
    {"{I1} [warns of|raises alarm over] [worsening|deepening] crisis in {C1}", kHum},
    {"Aid convoy reaches {T1} after {N3}-day [delay|wait]", kHum},
};

constexpr Template kEnLeads[] = {
    {"[Security forces|Government forces|Local forces] in {T1} [said|reported] {D} that they had "
     "[repelled|pushed back|halted] an [attack|assault|offensive] by {G1} fighters on [positions|"
     "checkpoints|outposts] [north|south|east|west] of the city, in [the latest|another] [sign|"
     "indication] that the group [remains able|is still able] to [strike|operate] in {C1}.",
     kSec},
    {"At least {N1} [people|civilians] were [killed|reported killed] and [dozens|many others] "
     "[wounded|injured] {D} when [a car bomb|an explosive device|a suicide bomber] [struck|hit] a "
     "[crowded market|busy checkpoint|bus station] in {T1}, [officials|local officials|medical "
     "sources] said.",
     kSec},
    {"Officials from {C1} and {C2} [met|held talks] in {T2} {D} to [discuss|review] "
     "[closer|deeper] [security|intelligence] [cooperation|coordination] against {G1}, according "
     "to a [joint "
     "statement|statement] [released|issued] after the meeting.",
     kDip},
    {"[A spokesman|A spokeswoman|An official] for {I1} said {D} that [thousands of|tens of "
     "thousands of] [civilians|families|residents] [in and around|near] {T1} [need|urgently need] "
     "[food, water and medicine|food and clean water|shelter and medical care] after "
     "[weeks|months] of fighting [between government forces and {G1}|involving {G1}].",
     kHum},
};

constexpr std::string_view kEnBody[] = {
    "[A military source|A security official|An official] who [spoke on condition of anonymity|"
    "asked not to be named because he was not authorised to speak to the media] said {G1} had "
    "[moved|shifted] [fighters|units|reinforcements] toward {T2} [over the past|during the past|in "
    "the last] {N3} days.",
    "The defence ministry in {C1} said [its forces|government troops] had [retaken|regained "
    "control of|secured] [several villages|a number of villages|two districts] [near|outside|"
    "on the outskirts of] {T1} and [were clearing|had begun clearing] [roads|the main roads] of "
    "[mines|explosives].",
    "[Residents|Witnesses|People living in the area] [reached by telephone|contacted by phone] "
    "[described|reported] [heavy|intense|sustained] [shelling|gunfire|air strikes] [through the "
    "night|overnight|since dawn] and said [many|most] families had [fled|left] toward {T2}.",
    "The government of {C2} [has said|said last month|has repeatedly said] it [is ready|stands "
    "ready|is prepared] to [support|back|help] {C1} [with training, equipment and intelligence|"
    "with intelligence and air support] in the fight against {G1}.",
    "The [coordination|information] centre [will|is to] [collect|gather], [process|sort] and "
    "[analyse|study] information [on|about] the situation in the region and [pass|distribute] it "
    "to the [general staffs|military commands] of the [participating|member] [states|countries].",
    "[Leadership|Management] of the centre [will rotate|is to rotate] among the [participating|"
    "member] [states|countries], with each term lasting no more than three months, [according to|"
    "under the terms of] the agreement.",
    "An official of {I1} said the organisation had [registered|recorded|counted] more than {N2} "
    "[newly displaced people|displaced people|people forced from their homes] in the [area|"
    "province|region] [since the start of the month|in the past {N3} weeks|since the fighting "
    "began].",
    "[Representatives|Officials] of {I2} [called on|urged] all parties to [allow|permit] [safe|"
    "unhindered] access for [aid workers|humanitarian teams] and to [protect|spare] civilians "
    "[in line with|under] international humanitarian law.",
    "[Food prices|Prices of bread and fuel] in {T1} have [risen|climbed|jumped] by [about|nearly|"
    "more than] {N1} percent since the [start|beginning] of the year, [traders|shopkeepers|market "
    "traders] said, [as|while] [fuel shortages|power cuts|bread shortages] [continue|persist].",
    "[Analysts|Regional analysts|Observers] say the [cooperation|agreement] between {C1}, {C2} and "
    "{C3} [reflects|shows] a [growing|shared] [concern|worry] [about|over] the [spread|reach] of "
    "{G1} [across borders|beyond the region].",
    "The international coalition that has [carried out|conducted] air strikes against {G1} "
    "[targets|positions] [includes|brings together] about {N1} countries, among them {C3} and "
    "{C2}.",
    "[Officials|Diplomats] [said|noted] that contacts with {C2} [would|were expected to] "
    "[continue|resume] [in the coming days|next week], but that the details of the [arrangement|"
    "plan] had not yet been [made public|published].",
    "[Border crossings|The main crossings] between {C1} and {C2} [remained|were still] [closed|"
    "shut] {D}, [leaving|stranding] [hundreds of|about {N2}] [trucks|lorries] [waiting|stuck] "
    "[on both sides of the border|at the border].",
    "A [team|mission|delegation] from {I1} is [due|expected] to [travel|go] to {T1} [within|in the "
    "next] {N3} days to [assess|evaluate] [needs|the damage|the situation] [on the ground|"
    "first-hand].",
    "[A spokesman|A spokeswoman] for {G1} [claimed|said] in [an online statement|a message posted "
    "online|a recorded message] that the group had [carried out|launched] the [attack|operation], "
    "but the claim could not be [independently verified|verified independently|confirmed].",
    "[Local authorities|Provincial authorities] in {T2} [imposed|announced] a [curfew|night-time "
    "curfew] and [closed|shut] [schools|schools and markets|government offices] [as a precaution|"
    "for {N3} days].",
    "The [fighting|violence|unrest] has [forced|driven] [some|an estimated|about] {N2} [people|"
    "families] from their homes in {C1} [this year|since January|since the spring], [according to "
    "figures from|according to data from] {I1}.",
    "The [foreign ministers|defence ministers] of {C1} and {C3} [are due to|are expected to|will] "
    "meet in {T2} [next month|soon] to [discuss|review] [the situation in the region|border "
    "security|the return of refugees].",
    "The government of {C2} [denied|rejected] [reports|accusations|claims] that it had [supplied|"
    "provided] [weapons|arms|funding] to [armed groups|factions] [fighting|operating] in {C1}, "
    "[calling|describing] them [baseless|unfounded|false].",
    "[Engineers|Repair crews|Technicians] [began|started] [restoring|repairing] [power lines|water "
    "pipes|the main bridge] damaged in the fighting, and [officials|the authorities] said "
    "[electricity|water|supplies] [could|should] be restored within {N3} days.",
    "The joint [operations|coordination] room in {T2} [brings together|includes] [officers|"
    "representatives|liaison officers] from {C1}, {C2} and {C3}, a [diplomatic source|military "
    "diplomatic source] said.",
    "[Hospitals|Clinics|Medical centres] in {T1} [are struggling to cope|are overwhelmed] [with "
    "the number of wounded|with the influx of casualties], and [doctors|medical staff] [report|"
    "describe] [shortages|acute shortages] of [blood|medicine|fuel for generators].",
    "The government of {C2} [reaffirmed|restated] its support for {C1} in the fight against {G1}, "
    "[saying|adding] that [intelligence sharing|security cooperation] would continue until the "
    "group was [defeated|destroyed].",
    "[Sources|Officials] at {I1} and {I2} said a [new|further] aid convoy [would|was due to] "
    "[reach|arrive in] {T1} [next week|in the coming days].",
};

constexpr std::string_view kEnClosings[] = {
    "The [situation|security situation] [remained|remains] [tense|volatile|fragile], and "
    "[officials|the authorities] [said|warned] [further|more] [operations|clashes] were [expected|"
    "likely] in the coming [days|weeks].",
    "[No group has yet claimed responsibility|There was no immediate claim of responsibility|"
    "Responsibility for the attack was not immediately claimed].",
    "[It was not immediately clear how many fighters had been killed|It was not clear whether any "
    "suspects had been detained].",
};

// ---------------------------------------------------------------------------------------------
// Arabic. Clitic slots ({C2.wa}, {T1.bi}, {C1.li}) give the attached forms a reader meets in
// Arabic news: وسوريا, ببغداد, للعراق.

constexpr Template kArTitles[] = {
    {"[اشتباكات عنيفة|معارك ضارية] قرب {T1} بين [القوات الحكومية|القوات الأمنية] {G1.wa}", kSec},
    {"مقتل {N1|أشخاص|شخصا|شخص} على الأقل في [انفجار|هجوم] {T1.bi}", kSec},
    {"[اتفاق|تفاهم] بين {C1} {C2.wa} على [تبادل المعلومات|تنسيق العمليات] [لمحاربة|لمواجهة] {G1}",
     kDip},
    {"[محادثات|مشاورات] {T2.bi} [تنتهي|تختتم] دون اتفاق [بشأن|حول] {C1}", kDip},
    {"{I1}: [الوضع الإنساني في {C1} يزداد سوءا|الأزمة الإنسانية في {C1} تتفاقم]", kHum},
    {"وصول قافلة مساعدات إلى {T1} بعد تأخير [دام|استمر] {N3} أيام", kHum},
};

constexpr Template kArLeads[] = {
    {"[أعلنت|ذكرت] [القوات الأمنية|قوات الأمن] في {T1} {D} أنها [صدت|أحبطت] هجوما [لمسلحي|لعناصر] "
     "{G1} على [مواقع|نقاط تفتيش] [شمال|جنوب|شرق|غرب] المدينة، في [مؤشر|دليل] جديد على أن "
     "[الجماعة|هذه الجماعة] لا تزال قادرة على شن هجمات {C1.bi}.",
     kSec},
    {"قتل {N1|أشخاص|شخصا|شخص} على الأقل وأصيب [العشرات|آخرون] {D} [جراء|إثر] [انفجار سيارة "
     "مفخخة|تفجير انتحاري|انفجار عبوة ناسفة] [في سوق مزدحمة|عند نقطة تفتيش|قرب محطة للحافلات] "
     "{T1.bi}، بحسب [مصادر طبية|مسؤولين محليين|مصادر أمنية].",
     kSec},
    {"[التقى|اجتمع] مسؤولون من {C1} {C2.wa} في {T2} {D} [لبحث|لمناقشة] [تعزيز|توسيع] التعاون "
     "[الأمني|الاستخباري] في مواجهة {G1}، [بحسب|وفق] بيان مشترك صدر عقب الاجتماع.",
     kDip},
    {"قال [متحدث باسم|مسؤول في] {I1} {D} إن [آلاف|عشرات الآلاف من] المدنيين في {T1} ومحيطها "
     "[بحاجة ماسة|في حاجة عاجلة] إلى [الغذاء والماء والدواء|المأوى والرعاية الطبية] بعد "
     "[أسابيع|أشهر] من المعارك.",
     kHum},
};

constexpr std::string_view kArBody[] = {
    "وقال مصدر [عسكري|أمني] طلب عدم الكشف عن اسمه إن مسلحي {G1} [نقلوا|حشدوا] [تعزيزات|مقاتلين] "
    "[باتجاه|نحو] {T2} خلال الأيام الـ{N3} الماضية.",
    "وأعلنت وزارة الدفاع في {C1} أن [قواتها|القوات الحكومية] [استعادت السيطرة على|أمنت] [عدة "
    "قرى|عددا من القرى|حيين] [قرب|في محيط|على أطراف] {T1}، وأنها [تعمل على تطهير|بدأت تطهير] "
    "الطرق[ الرئيسية|] من [الألغام|العبوات الناسفة].",
    "[وقال|وذكر] [سكان|شهود عيان] [تم الاتصال بهم هاتفيا|تحدثوا عبر الهاتف] إن [القصف العنيف "
    "استمر|الاشتباكات تواصلت|الغارات الجوية تواصلت] [طوال الليل|منذ الفجر]، وإن [عائلات كثيرة|"
    "معظم العائلات] [نزحت|فرت] باتجاه {T2}.",
    "وكانت حكومة {C2} [أعلنت|أكدت] [في وقت سابق|الشهر الماضي] استعدادها [لدعم|لمساعدة] {C1} "
    "[بالتدريب والمعدات والمعلومات|بالمعلومات الاستخبارية والدعم الجوي] في [الحرب|المعركة] ضد "
    "{G1}.",
    "وسيتولى المركز جمع [المعلومات|البيانات] [ومعالجتها وتحليلها|وتحليلها] [حول|عن] الوضع في "
    "المنطقة، [وتوزيعها على|وإيصالها إلى] الجهات المعنية وهيئات أركان [القوات المسلحة|الجيوش] في "
    "الدول المشاركة.",
    "[وستكون|وتكون] إدارة المركز بالتناوب بين [الدول الأعضاء|الدول المشاركة]، على ألا تتجاوز مدة "
    "[رئاسة|إدارة] كل [طرف|دولة] ثلاثة أشهر، [بحسب الاتفاق|وفق ما تم الاتفاق عليه].",
    "وقال مسؤول في {I1} إن [المنظمة|الهيئة] سجلت أكثر من {N2|نازحين|نازحا|نازح} في [المنطقة|"
    "المحافظة] [منذ بداية الشهر|خلال الأسابيع الماضية|منذ اندلاع المعارك].",
    "ودعا [مسؤولون في|ممثل] {I2} جميع الأطراف إلى [السماح بوصول|تسهيل وصول] [عمال الإغاثة|فرق "
    "المساعدات الإنسانية] [بأمان|دون عوائق] وحماية المدنيين [وفق|بموجب] القانون الدولي الإنساني.",
    "[وقال|وذكر] [تجار|أصحاب متاجر] {T1.bi} إن أسعار [المواد الغذائية|الخبز والوقود] ارتفعت بنحو "
    "{N1} في المئة منذ بداية العام، [في ظل|مع] استمرار [انقطاع الكهرباء|نقص الوقود|أزمة الوقود].",
    "ويرى [محللون|مراقبون] أن التعاون بين {C1} {C2.wa} {C3.wa} يعكس [قلقا متزايدا|قلقا مشتركا] من "
    "[تمدد|انتشار] {G1} [عبر الحدود|خارج المنطقة].",
    "ويضم التحالف الدولي [الذي يشن غارات|الذي ينفذ ضربات جوية] على مواقع {G1} نحو "
    "{N1|دول|دولة|دولة}، [بينها|من بينها] {C3} {C2.wa}.",
    "وقال [دبلوماسيون|مسؤولون] إن [الاتصالات|المحادثات] مع {C2} [ستستمر|ستتواصل] [خلال الأيام "
    "المقبلة|الأسبوع المقبل]، [وإن|لكن] تفاصيل [الترتيبات|الخطة] لم [تعلن|تنشر] بعد.",
    "[وبقيت|وظلت] المعابر الحدودية بين {C1} {C2.wa} مغلقة {D}، ما [أدى إلى|تسبب في] [تكدس|احتجاز] "
    "[مئات الشاحنات|نحو {N2|شاحنات|شاحنة|شاحنة}] على جانبي الحدود.",
    "ومن المقرر أن يصل فريق من {I1} إلى {T1} خلال {N3} أيام [لتقييم|لتقدير] [الاحتياجات|الأضرار|"
    "الوضع] [على الأرض|ميدانيا].",
    "وزعم متحدث باسم {G1} في [بيان نشر على الإنترنت|رسالة صوتية|تسجيل مصور] [أن الجماعة نفذت|أن "
    "مقاتليها نفذوا] [الهجوم|العملية]، [لكن لم يتسن|غير أنه لم يتسن] التحقق من ذلك [من مصدر "
    "مستقل|بشكل مستقل].",
    "[وفرضت|وأعلنت] السلطات المحلية في {T2} حظر تجول [ليليا|شاملا]، [وأغلقت|كما أغلقت] "
    "[المدارس|المدارس والأسواق|الدوائر الحكومية] [كإجراء احترازي|لمدة {N3} أيام].",
    "[وأجبرت|ودفعت] [المعارك|أعمال العنف] [نحو|قرابة] {N2|أشخاص|شخصا|شخص} على [مغادرة منازلهم|"
    "النزوح] في {C1} [هذا العام|منذ مطلع العام]، [بحسب|وفق] [أرقام|بيانات] {I1}.",
    "ومن المقرر أن يلتقي وزراء [خارجية|دفاع] {C1} {C3.wa} في {T2} [الشهر المقبل|قريبا] [لبحث|"
    "لمناقشة] [الوضع في المنطقة|أمن الحدود|عودة اللاجئين].",
    "[ونفت|ورفضت] حكومة {C2} [تقارير|اتهامات] [عن تزويدها جماعات مسلحة بالأسلحة|عن تمويلها "
    "جماعات مسلحة] [تقاتل|تنشط] {C1.bi}، [ووصفتها بأنها عارية عن الصحة|معتبرة أنها ادعاءات "
    "باطلة].",
    "[وبدأت|وشرعت] فرق [الصيانة|الهندسة] في [إصلاح خطوط الكهرباء التي تضررت|إصلاح شبكة المياه "
    "التي تضررت|ترميم الجسر الرئيسي الذي دمر] خلال المعارك، وقال مسؤولون إن [الخدمة|الإمدادات] "
    "[قد تعود|ستعود] خلال {N3} أيام.",
    "وتضم غرفة العمليات المشتركة في {T2} [ضباط ارتباط|ممثلين] عن {C1} {C2.wa} {C3.wa}، بحسب مصدر "
    "[دبلوماسي|عسكري دبلوماسي].",
    "[وتواجه مستشفيات {T1} صعوبة في استيعاب|وتعاني مستشفيات {T1} من ضغط كبير بسبب] أعداد الجرحى، "
    "[في حين|بينما] [تحدث أطباء عن|أشار أطباء إلى] نقص حاد في [الدم|الأدوية|وقود المولدات].",
    "وجددت حكومة {C2} دعمها {C1.li} في [مواجهة|محاربة] {G1}، [مشيرة|ومشيرة] إلى أن التعاون "
    "[الاستخباري|الأمني] [سيستمر|سيتواصل] [حتى القضاء على|إلى حين هزيمة] [الجماعة|هذه الجماعة].",
    "[وأعلنت|وذكرت] مصادر في {I1} {I2.wa} أن [قافلة|شحنة] مساعدات [جديدة|إضافية] [ستصل|ستتجه] "
    "إلى {T1} [خلال الأسبوع المقبل|قريبا].",
};

constexpr std::string_view kArClosings[] = {
    "ولا يزال الوضع [متوترا|هشا|غير مستقر]، [وسط توقعات ب|مع توقعات ب][مزيد من العمليات|تجدد "
    "الاشتباكات] خلال [الأيام|الأسابيع] المقبلة.",
    "[ولم تعلن أي جهة مسؤوليتها عن الهجوم حتى الآن|ولم تتبن أي جهة الهجوم على الفور].",
    "[ولم يتضح على الفور عدد القتلى بين المسلحين|ولم يتضح بعد ما إذا كان هناك معتقلون].",
};

// ---------------------------------------------------------------------------------------------
// French. Slots carry their article or preposition: {C1.the} l'Irak, {C1.in} en Irak,
// {T1.of} de Bagdad / d'Alep / du Caire.

constexpr Template kFrTitles[] = {
    {"[Violents combats|Affrontements] près {T1.of} entre l'armée et {G1.the}", kSec},
    {"Au moins {N1} morts dans [un attentat|une explosion] {T1.in}", kSec},
    {"{C1.the} et {C2.the} s'accordent pour [partager leurs renseignements|coordonner leurs "
     "opérations] contre {G1.the}",
     kDip},
    {"Les [pourparlers|discussions] {T2.in} s'achèvent sans accord sur {C1.the}", kDip},
    {"[Alerte|Inquiétude] {I1.of} sur la [dégradation|crise] humanitaire {C1.in}", kHum},
    {"Un convoi humanitaire atteint {T1} après {N3} jours de retard", kHum},
};

constexpr Template kFrLeads[] = {
    {"Les forces de sécurité {T1.of} ont [affirmé|annoncé] {D} avoir [repoussé|mis en échec] une "
     "attaque [de combattants|d'hommes armés] {G1.of} contre des [positions|postes de contrôle] "
     "[au nord|au sud|à l'est|à l'ouest] de la ville, signe que le groupe reste capable de "
     "[frapper|mener des attaques] {C1.in}.",
     kSec},
    {"Au moins {N1} personnes ont été tuées et [des dizaines|plusieurs autres] blessées {D} dans "
     "[l'explosion d'une voiture piégée|un attentat-suicide|l'explosion d'un engin artisanal] [sur "
     "un marché bondé|à un poste de contrôle|près d'une gare routière] {T1.in}, selon [des sources "
     "médicales|des responsables locaux|des sources sécuritaires].",
     kSec},
    {"Des responsables {C1.of} et {C2.of} se sont [réunis|rencontrés] {D} {T2.in} pour [discuter|"
     "débattre] d'un renforcement de la coopération [sécuritaire|en matière de renseignement] "
     "contre {G1.the}, selon un communiqué commun publié à l'issue de la rencontre.",
     kDip},
    {"Un porte-parole {I1.of} a déclaré {D} que [des milliers|des dizaines de milliers] de civils "
     "{T1.in} et dans ses environs avaient [un besoin urgent|cruellement besoin] [de nourriture, "
     "d'eau et de médicaments|d'abris et de soins médicaux] après des [semaines|mois] de combats.",
     kHum},
};

constexpr std::string_view kFrBody[] = {
    "Une source [militaire|sécuritaire] s'exprimant sous couvert d'anonymat a indiqué que des "
    "[combattants|renforts] {G1.of} avaient été [déplacés|acheminés] vers {T2} au cours des {N3} "
    "derniers jours.",
    "Le ministère de la Défense {C1.of} a annoncé que [ses troupes|les forces gouvernementales] "
    "avaient [repris|pris le contrôle de] plusieurs villages [près|aux abords|dans les environs] "
    "{T1.of} et [déminaient|sécurisaient] les routes.",
    "Des habitants joints par téléphone ont fait état [de bombardements intenses|de tirs nourris|"
    "de frappes aériennes] [toute la nuit|depuis l'aube] et de nombreuses familles [en fuite|"
    "fuyant] vers {T2}.",
    "Les autorités {C2.of} se sont dites prêtes à [soutenir|aider] le gouvernement {C1.of} [par de "
    "la formation, des équipements et du renseignement|par du renseignement et un appui aérien] "
    "dans la lutte contre {G1.the}.",
    "Le centre sera chargé de [collecter|recueillir], traiter et analyser des informations sur la "
    "situation dans la région, et de les [transmettre|communiquer] aux parties concernées et aux "
    "états-majors des forces armées des pays [participants|membres].",
    "La direction du centre sera assurée à tour de rôle par les pays [membres|participants], "
    "chaque mandat ne pouvant excéder trois mois, [selon l'accord|aux termes de l'accord conclu].",
    "Un responsable {I1.of} a indiqué que l'organisation avait enregistré plus de {N2} [nouveaux "
    "déplacés|personnes déplacées] dans la [région|province] [depuis le début du mois|ces "
    "dernières semaines|depuis le début des combats].",
    "Des représentants {I2.of} ont appelé toutes les parties à [garantir|permettre] un accès "
    "[sûr|sans entrave] aux travailleurs humanitaires et à protéger les civils conformément au "
    "droit international humanitaire.",
    "Selon des [commerçants|marchands] {T1.of}, les prix [des denrées alimentaires|du pain et du "
    "carburant] ont augmenté [d'environ|de près de] {N1}\u00a0% depuis le début de l'année, [alors "
    "que|tandis que] les [coupures d'électricité|pénuries de carburant] se poursuivent.",
    "Selon des [analystes|observateurs], la coopération entre {C1.the}, {C2.the} et {C3.the} "
    "[traduit|reflète] une inquiétude [croissante|partagée] face à [l'expansion|l'influence "
    "grandissante] {G1.of} [au-delà des frontières|dans toute la région].",
    "La coalition internationale qui mène des frappes contre les positions {G1.of} compte environ "
    "{N1} pays, dont {C3.the} et {C2.the}.",
    "Des diplomates ont indiqué que les contacts avec {C2.the} se poursuivraient [dans les "
    "prochains jours|la semaine prochaine], mais que les détails [de l'arrangement|du plan] "
    "n'avaient pas encore été [rendus publics|publiés].",
    "Les points de passage entre {C1.the} et {C2.the} restaient fermés {D}, et [des centaines de|"
    "quelque {N2}] camions étaient bloqués de part et d'autre de la frontière.",
    "Une mission {I1.of} doit se rendre {T1.in} dans les {N3} prochains jours pour évaluer [les "
    "besoins|les dégâts|la situation] sur le terrain.",
    "Un porte-parole {G1.of} a affirmé dans [un communiqué diffusé en ligne|un message audio|une "
    "vidéo] que le groupe avait mené [l'attaque|l'opération], mais cette revendication n'a pas pu "
    "être vérifiée [de manière indépendante|de source indépendante].",
    "Les autorités locales {T2.of} ont [décrété|instauré] un couvre-feu [nocturne|total] et fermé "
    "[les écoles|les écoles et les marchés|les administrations] [par précaution|pour {N3} jours].",
    "Selon {I1.the}, les [combats|violences] ont contraint quelque {N2} personnes à quitter leur "
    "foyer {C1.in} [depuis le début de l'année|cette année].",
    "Les ministres [des Affaires étrangères|de la Défense] {C1.of} et {C3.of} doivent se "
    "rencontrer {T2.in} [le mois prochain|prochainement] pour évoquer [la situation régionale|la "
    "sécurité des frontières|le retour des réfugiés].",
    "Les autorités {C2.of} ont [démenti|rejeté] les [informations|accusations] faisant état de "
    "[livraisons d'armes|financements] à des groupes armés actifs {C1.in}, [les jugeant sans "
    "fondement|les qualifiant de mensongères].",
    "Des équipes techniques ont commencé à réparer [les lignes électriques endommagées|le réseau "
    "d'eau endommagé|le pont principal détruit] pendant les combats, et les autorités estiment "
    "que [l'électricité pourrait être rétablie|le service pourrait être rétabli] d'ici {N3} jours.",
    "Selon une source [diplomatique|militaro-diplomatique], la salle d'opérations commune {T2.in} "
    "réunit [des officiers de liaison|des représentants] {C1.of}, {C2.of} et {C3.of}.",
    "Les hôpitaux {T1.of} peinent à faire face à l'afflux de blessés, et les médecins signalent "
    "une [grave|sévère] pénurie [de sang|de médicaments|de carburant pour les générateurs].",
    "Le gouvernement {C2.of} a réaffirmé son soutien {C1.to} dans la lutte contre {G1.the}, "
    "[soulignant|précisant] que l'échange de renseignements se poursuivrait jusqu'à la défaite du "
    "groupe.",
    "Selon {I1.the} et {I2.the}, un [nouveau|autre] convoi humanitaire doit [livrer|acheminer] de "
    "l'aide aux habitants {T1.of} [la semaine prochaine|dans les prochains jours].",
};

constexpr std::string_view kFrClosings[] = {
    "La situation reste [tendue|volatile], et de nouvelles [opérations|violences] sont attendues "
    "dans les [jours|semaines] à venir.",
    "[Aucun groupe n'a pour l'instant revendiqué l'attaque|L'attaque n'avait pas été revendiquée "
    "dans l'immédiat].",
    "[On ignorait dans l'immédiat combien de combattants avaient été tués|Il n'était pas clair "
    "dans l'immédiat si des arrestations avaient eu lieu].",
};

// ---------------------------------------------------------------------------------------------
// Russian. Places and organisations appear in the nominative, the genitive ({C1.gen}) or after
// "в"/"во" ({C1.in}); counted nouns agree through {N|a|b|c}.

constexpr Template kRuTitles[] = {
    {"[Ожесточённые бои|Столкновения] в районе {T1.gen} между армией и боевиками {G1.gen}", kSec},
    {"Жертвами [взрыва|теракта] {T1.in} стали не менее {N1|человека|человек|человек}", kSec},
    {"{C1} и {C2} договорились [обмениваться разведданными|координировать операции] против "
     "{G1.gen}",
     kDip},
    {"Переговоры {T2.in} завершились без [соглашения|договорённостей] по ситуации {C1.in}", kDip},
    {"{I1}: гуманитарная ситуация {C1.in} [ухудшается|продолжает ухудшаться]", kHum},
    {"Гуманитарный конвой достиг {T1.gen} после {N3|дня|дней|дней} задержки", kHum},
};

constexpr Template kRuLeads[] = {
    {"Силы безопасности {T1.gen} {D} [заявили|сообщили], что отразили [нападение|атаку] боевиков "
     "{G1.gen} на [позиции|блокпосты] к [северу|югу|востоку|западу] от города, что "
     "[свидетельствует|говорит] о том, что группировка по-прежнему способна [действовать|наносить "
     "удары] {C1.in}.",
     kSec},
    {"Не менее {N1|человека|человек|человек} погибли и [десятки|многие] получили ранения {D} в "
     "результате [взрыва заминированного автомобиля|теракта смертника|взрыва самодельного "
     "взрывного устройства] [на многолюдном рынке|у блокпоста|возле автовокзала] {T1.in}, сообщили "
     "[медики|местные власти|источники в силах безопасности].",
     kSec},
    {"Представители {C1.gen} и {C2.gen} {D} [провели переговоры, посвящённые|провели встречу, "
     "посвящённую] расширению сотрудничества в [сфере безопасности|области разведки] в борьбе "
     "против {G1.gen}, [говорится|сообщается] в совместном заявлении по итогам встречи {T2.in}.",
     kDip},
    {"Представитель {I1.gen} {D} заявил, что [тысячи|десятки тысяч] мирных жителей {T1.gen} и "
     "окрестностей [остро нуждаются|нуждаются] в [продовольствии, воде и медикаментах|жилье и "
     "медицинской помощи] после [недель|месяцев] боёв.",
     kHum},
};

constexpr std::string_view kRuBody[] = {
    "Военный источник, [пожелавший остаться неназванным|попросивший не называть его имени], "
    "сообщил, что за последние {N3|день|дня|дней} боевики {G1.gen} [перебросили|стянули] "
    "[подкрепления|дополнительные силы] в направлении {T2.gen}.",
    "Министерство обороны {C1.gen} сообщило, что [войска|правительственные силы] [вернули "
    "контроль над несколькими деревнями|заняли ряд населённых пунктов] в [окрестностях|районе] "
    "{T1.gen} и [приступили к разминированию|ведут разминирование] дорог.",
    "Местные жители, с которыми удалось связаться по телефону, рассказали о [сильных обстрелах|"
    "ожесточённых перестрелках|авиаударах], которые [продолжались|не прекращались] [всю ночь|с "
    "рассвета], и о том, что многие семьи [бежали|ушли] в направлении {T2.gen}.",
    "Ранее власти {C2.gen} [заявляли|неоднократно заявляли] о готовности поддержать правительство "
    "{C1.gen} [разведданными и авиацией|подготовкой, техникой и разведданными] в борьбе против "
    "{G1.gen}.",
    "Центр [будет заниматься|займётся] сбором, обработкой и анализом информации о ситуации в "
    "регионе, а также [её передачей|её распространением] [заинтересованным сторонам|"
    "заинтересованным ведомствам] и генеральным штабам вооружённых сил стран-участниц.",
    "Руководство центром [будет осуществляться|будет вестись] по очереди представителями "
    "стран-участниц, [причём|при этом] срок [руководства|председательства] каждой стороны не "
    "[превысит|будет превышать] трёх месяцев.",
    "Представитель {I1.gen} сообщил, что [с начала месяца|за последние недели|с начала боёв] в "
    "[регионе|провинции] зарегистрировано более {N2} [вынужденных переселенцев|перемещённых лиц].",
    "Представители {I2.gen} призвали все стороны обеспечить [беспрепятственный|безопасный] доступ "
    "[гуманитарных работников|сотрудников гуманитарных организаций] и [защищать мирное население|"
    "обеспечить защиту мирного населения] в соответствии с нормами международного гуманитарного "
    "права.",
    "По словам [торговцев|владельцев магазинов] {T1.gen}, цены на [продукты|хлеб и топливо] с "
    "начала года выросли [примерно|почти] на {N1|процент|процента|процентов}, [а перебои с "
    "электричеством продолжаются|при этом сохраняется нехватка топлива].",
    "По мнению [аналитиков|экспертов], сотрудничество {C1.gen}, {C2.gen} и {C3.gen} [отражает "
    "растущую обеспокоенность|свидетельствует об общей обеспокоенности] [распространением|"
    "усилением] {G1.gen} [за пределы региона|по всему региону].",
    "В международную коалицию, которая наносит удары по позициям {G1.gen}, входят около "
    "{N1|государства|государств|государств}, в том числе {C3} и {C2}.",
    "Дипломаты [сообщили|отметили], что контакты с представителями {C2.gen} [продолжатся|будут "
    "продолжены] [в ближайшие дни|на следующей неделе], однако детали [договорённостей|плана] "
    "пока не [раскрываются|опубликованы].",
    "Пограничные переходы на границе {C1.gen} и {C2.gen} {D} оставались закрытыми, и [сотни|около "
    "{N2}] грузовиков [застряли|простаивают] по обе стороны границы.",
    "В ближайшие {N3|день|дня|дней} миссия {I1.gen} [планирует провести|проведёт] [оценку "
    "потребностей|оценку ущерба|оценку обстановки] {T1.in}.",
    "Представитель {G1.gen} [в заявлении в интернете|в аудиообращении|в видеообращении] заявил, "
    "что [нападение|операцию] [совершили|провели] боевики группировки, однако [независимо "
    "подтвердить это|подтвердить это из независимых источников] [не удалось|пока невозможно].",
    "Местные власти {T2.gen} [ввели|объявили] [комендантский час|ночной комендантский час] и "
    "[закрыли|временно закрыли] [школы|школы и рынки|государственные учреждения] [в качестве меры "
    "предосторожности|на {N3|день|дня|дней}].",
    "По данным {I1.gen}, [из-за боевых действий|из-за насилия] [с начала года|в этом году] около "
    "{N2} человек [были вынуждены покинуть|покинули] свои дома {C1.in}.",
    "Министры [иностранных дел|обороны] {C1.gen} и {C3.gen} [должны встретиться|встретятся] "
    "{T2.in} [в следующем месяце|в ближайшее время], чтобы обсудить [ситуацию в регионе|"
    "безопасность границ|возвращение беженцев].",
    "Власти {C2.gen} [опровергли|отвергли] [сообщения|обвинения] [о поставках оружия|о "
    "финансировании] для вооружённых группировок, действующих {C1.in}, назвав их "
    "[безосновательными|ложными].",
    "[Ремонтные бригады|Инженеры] приступили к восстановлению [линий электропередачи, "
    "повреждённых|водопровода, повреждённого|главного моста, разрушенного] в ходе боёв; по словам "
    "[властей|чиновников], [электроснабжение|водоснабжение] может быть восстановлено в течение "
    "{N3|дня|дней|дней}.",
    "По словам [дипломатического|военно-дипломатического] источника, в [объединённый|совместный] "
    "оперативный штаб {T2.in} входят [офицеры связи|представители] {C1.gen}, {C2.gen} и {C3.gen}.",
    "Больницы {T1.gen} [с трудом справляются|не справляются] с потоком раненых, а врачи "
    "[сообщают|говорят] об острой нехватке [крови|лекарств|топлива для генераторов].",
    "Правительство {C2.gen} [вновь заявило о поддержке|подтвердило поддержку] {C1.gen} в борьбе "
    "против {G1.gen}, [подчеркнув|отметив], что обмен разведданными [продолжится|будет "
    "продолжаться] до [полного разгрома|поражения] группировки.",
    "По данным {I1.gen} и {I2.gen}, [новый|очередной] гуманитарный конвой [доставит|должен "
    "доставить] помощь [жителям|населению] {T1.gen} [на следующей неделе|в ближайшие дни].",
};

constexpr std::string_view kRuClosings[] = {
    "Обстановка [остаётся|по-прежнему остаётся] [напряжённой|нестабильной], и в ближайшие [дни|"
    "недели] [ожидаются|не исключены] новые [операции|столкновения].",
    "[Ни одна группировка пока не взяла на себя ответственность за нападение|Ответственность за "
    "нападение пока никто не взял на себя].",
    "[Пока неясно, сколько боевиков были убиты|Пока неизвестно, были ли задержаны подозреваемые].",
};

// ---------------------------------------------------------------------------------------------
// Persian. Written with Persian ی and ک, the zero-width non-joiner (\u200c) where Persian
// spelling puts it (می‌, ‌ها, بین‌المللی), and Persian digits.

constexpr Template kFaTitles[] = {
    {"[درگیری\u200cهای شدید|نبرد سنگین] در نزدیکی {T1} میان نیروهای دولتی و {G1}", kSec},
    {"کشته شدن دست\u200cکم {N1} نفر در [انفجار|حمله] {T1}", kSec},
    {"توافق {C1} و {C2} برای [تبادل اطلاعات|هماهنگی عملیات] علیه {G1}", kDip},
    {"پایان [گفت\u200cوگوهای|مذاکرات] {T2} بدون توافق درباره {C1}", kDip},
    {"هشدار {I1} درباره [وخامت|تشدید] بحران انسانی در {C1}", kHum},
    {"رسیدن کاروان کمک\u200cهای انسانی به {T1} پس از {N3} روز تأخیر", kHum},
};

constexpr Template kFaLeads[] = {
    {"نیروهای امنیتی در {T1} {D} اعلام کردند که حمله [شبه\u200cنظامیان|افراد مسلح] {G1} به "
     "[مواضع|ایست\u200cهای بازرسی] [شمال|جنوب|شرق|غرب] شهر را [دفع کرده\u200cاند|ناکام "
     "گذاشته\u200cاند]؛ این [نشانه\u200cای تازه|نشانه\u200cای دیگر] است از اینکه این گروه همچنان "
     "می\u200cتواند در {C1} [حمله کند|دست به حمله بزند].",
     kSec},
    {"به گفته [منابع پزشکی|مقام\u200cهای محلی|منابع امنیتی]، دست\u200cکم {N1} نفر {D} در پی "
     "[انفجار یک خودروی بمب\u200cگذاری\u200cشده|یک حمله انتحاری|انفجار یک بمب کنار "
     "جاده\u200cای] در [بازاری شلوغ|یک ایست بازرسی|نزدیکی ایستگاه اتوبوس] در {T1} کشته و "
     "[ده\u200cها|چند] نفر دیگر زخمی شدند.",
     kSec},
    {"مقام\u200cهای {C1} و {C2} {D} در {T2} [دیدار کردند|گفت\u200cوگو کردند] تا درباره [گسترش|"
     "تقویت] همکاری\u200cهای [امنیتی|اطلاعاتی] در مقابله با {G1} [رایزنی کنند|بحث کنند]، [بر "
     "اساس|طبق] بیانیه مشترکی که پس از این دیدار منتشر شد.",
     kDip},
    {"یک [سخنگوی|مقام] {I1} {D} گفت که [هزاران|ده\u200cها هزار] غیرنظامی در {T1} و اطراف آن پس از "
     "[هفته\u200cها|ماه\u200cها] درگیری به [غذا، آب و دارو|سرپناه و مراقبت\u200cهای پزشکی] [نیاز "
     "فوری دارند|به\u200cشدت نیازمندند].",
     kHum},
};

constexpr std::string_view kFaBody[] = {
    "یک منبع [نظامی|امنیتی] که [نخواست نامش فاش شود|به شرط ناشناس ماندن سخن می\u200cگفت] گفت که "
    "{G1} [در|طی] {N3} روز گذشته [نیروهای کمکی|شبه\u200cنظامیان بیشتری] را به سوی {T2} [منتقل "
    "کرده است|گسیل کرده است].",
    "وزارت دفاع {C1} اعلام کرد که [نیروهایش|نیروهای دولتی] [کنترل چند روستا|کنترل شماری از "
    "روستاها] را در [نزدیکی|حومه] {T1} [دوباره به دست گرفته\u200cاند|بازپس گرفته\u200cاند] و "
    "[مشغول پاکسازی|در حال پاک\u200cسازی] جاده\u200cها از [مین|مواد منفجره] هستند.",
    "[ساکنان|شاهدان عینی] [در تماس تلفنی|در گفت\u200cوگوی تلفنی] گفتند که [گلوله\u200cباران شدید|"
    "درگیری\u200cهای پراکنده|حملات هوایی] [تمام شب|از سپیده\u200cدم] ادامه داشت و "
    "[بسیاری از|بیشتر] خانواده\u200cها به سوی {T2} [گریخته\u200cاند|آواره شده\u200cاند].",
    "دولت {C2} [پیش\u200cتر|ماه گذشته] اعلام کرده بود که آماده است {C1} را در [جنگ|مبارزه] با {G1} "
    "[با آموزش، تجهیزات و اطلاعات|با اطلاعات و پشتیبانی هوایی] [یاری کند|پشتیبانی کند].",
    "وظیفه این مرکز [گردآوری|جمع\u200cآوری]، پردازش و تحلیل اطلاعات درباره وضعیت منطقه و [توزیع|"
    "ارسال] آن به [نهادهای ذی\u200cربط|طرف\u200cهای مربوط] و ستادهای کل نیروهای مسلح کشورهای "
    "[عضو|شرکت\u200cکننده] خواهد بود.",
    "[مدیریت|ریاست] مرکز به صورت چرخشی میان کشورهای [عضو|شرکت\u200cکننده] خواهد بود و دوره "
    "[مدیریت|ریاست] هر طرف از سه ماه [تجاوز نخواهد کرد|بیشتر نخواهد شد].",
    "یک مقام {I1} گفت که این [سازمان|نهاد] از [آغاز ماه جاری|چند هفته پیش|زمان آغاز "
    "درگیری\u200cها] تاکنون بیش از {N2} [آواره جدید|خانواده آواره] را در [منطقه|استان] ثبت کرده "
    "است.",
    "{I2} از همه طرف\u200cها خواست [دسترسی امن|دسترسی بی\u200cمانع] امدادگران را [فراهم کنند|تضمین "
    "کنند] و از غیرنظامیان [بر اساس|مطابق] قوانین بین\u200cالمللی بشردوستانه [محافظت کنند|حمایت "
    "کنند].",
    "[بازرگانان|مغازه\u200cداران] در {T1} می\u200cگویند قیمت [مواد غذایی|نان و سوخت] از [ابتدای|"
    "آغاز] سال حدود {N1} درصد افزایش یافته است، [در حالی که|و] [قطعی برق|کمبود سوخت] همچنان "
    "ادامه دارد.",
    "[تحلیلگران|ناظران] بر این باورند که همکاری میان {C1}، {C2} و {C3} نشان\u200cدهنده [نگرانی "
    "فزاینده|نگرانی مشترک] از [گسترش|نفوذ] {G1} [فراتر از مرزها|در سراسر منطقه] است.",
    "ائتلاف بین\u200cالمللی که [مواضع|اهداف] {G1} را [بمباران می\u200cکند|هدف حملات هوایی قرار "
    "می\u200cدهد] حدود {N1} کشور را در بر می\u200cگیرد که {C3} و {C2} [نیز|هم] از جمله آنها هستند.",
    "[دیپلمات\u200cها|مقام\u200cها] گفتند که [تماس\u200cها|گفت\u200cوگوها] با {C2} "
    "[در روزهای آینده|هفته آینده] ادامه خواهد یافت، اما جزئیات [این ترتیبات|طرح] هنوز "
    "[اعلام نشده است|منتشر نشده است].",
    "گذرگاه\u200cهای مرزی میان {C1} و {C2} {D} همچنان بسته بود و [صدها|حدود {N2}] کامیون در دو سوی "
    "مرز [سرگردان مانده\u200cاند|متوقف شده\u200cاند].",
    "قرار است تیمی از {I1} ظرف {N3} روز آینده برای [ارزیابی نیازها|بررسی خسارت\u200cها|ارزیابی "
    "وضعیت] به {T1} [اعزام شود|برود].",
    "یک سخنگوی {G1} در [بیانیه\u200cای اینترنتی|پیامی صوتی|یک پیام ویدئویی] مدعی شد که این گروه "
    "[حمله|عملیات] را انجام داده است، اما این ادعا [به طور مستقل|از منابع مستقل] [تأیید نشده "
    "است|قابل تأیید نبود].",
    "مقام\u200cهای محلی در {T2} [حکومت نظامی|منع آمد و شد شبانه] اعلام کردند و [مدارس|مدارس و "
    "بازارها|ادارات دولتی] را [به عنوان اقدامی احتیاطی|به مدت {N3} روز] [تعطیل کردند|بستند].",
    "به گفته {I1}، [درگیری\u200cها|خشونت\u200cها] [امسال|از ابتدای سال] حدود {N2} نفر را در {C1} "
    "[مجبور به ترک خانه\u200cهایشان کرده است|آواره کرده است].",
    "قرار است وزیران [خارجه|دفاع] {C1} و {C3} [ماه آینده|به زودی] در {T2} دیدار کنند تا درباره "
    "[اوضاع منطقه|امنیت مرزها|بازگشت پناهندگان] گفت\u200cوگو کنند.",
    "دولت {C2} [گزارش\u200cها|اتهام\u200cها] درباره [ارسال سلاح|کمک مالی] به گروه\u200cهای مسلح "
    "[فعال|درگیر] در {C1} را [رد کرد|تکذیب کرد] و آنها را [بی\u200cاساس|نادرست] خواند.",
    "[تیم\u200cهای فنی|مهندسان] [تعمیر|بازسازی] [خطوط برق|شبکه آب|پل اصلی] آسیب\u200cدیده در "
    "درگیری\u200cها را آغاز کرده\u200cاند و [مقام\u200cها|مسئولان] می\u200cگویند [خدمات|برق] "
    "ظرف {N3} روز [برقرار خواهد شد|از سر گرفته خواهد شد].",
    "به گفته یک منبع [دیپلماتیک|نظامی-دیپلماتیک]، اتاق عملیات مشترک در {T2} [افسران رابط|"
    "نمایندگانی] از {C1}، {C2} و {C3} را گرد هم آورده است.",
    "بیمارستان\u200cهای {T1} با [کمبود شدید|کمبود] [خون|دارو|سوخت مولدها] روبه\u200cرو هستند و "
    "[پزشکان|کادر درمان] می\u200cگویند [توان پذیرش|ظرفیت پذیرش] مجروحان را ندارند.",
    "دولت {C2} بار دیگر بر حمایت خود از {C1} در [مقابله|مبارزه] با {G1} تأکید کرد و گفت همکاری "
    "[اطلاعاتی|امنیتی] تا [شکست|نابودی] این گروه ادامه خواهد یافت.",
    "منابعی در {I1} و {I2} اعلام کردند که [کاروان|محموله] [جدیدی|دیگری] از کمک\u200cها [هفته "
    "آینده|به زودی] به {T1} خواهد رسید.",
};

constexpr std::string_view kFaClosings[] = {
    "وضعیت همچنان [متشنج|شکننده] است و [انتظار می\u200cرود|پیش\u200cبینی می\u200cشود] [عملیات|"
    "درگیری\u200cها] در روزها و هفته\u200cهای آینده ادامه یابد.",
    "[تاکنون هیچ گروهی مسئولیت این حمله را بر عهده نگرفته است|هنوز هیچ گروهی مسئولیت این حمله را "
    "نپذیرفته است].",
    "[هنوز روشن نیست چند شبه\u200cنظامی کشته شده\u200cاند|هنوز مشخص نیست که آیا کسی بازداشت شده "
    "است یا نه].",
};

constexpr LangPack kPacks[kLangCount] = {
    {Lang::kAr, kArTitles, kArLeads, kArBody, kArClosings,
     {"يوم الاثنين", "يوم الثلاثاء", "يوم الأربعاء", "يوم الخميس", "يوم الجمعة", "يوم السبت",
      "يوم الأحد"},
     "الوكالة الاصطناعية", "محدث: ", false},
    {Lang::kEn, kEnTitles, kEnLeads, kEnBody, kEnClosings,
     {"on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday",
      "on Sunday"},
     "Synthetic Wire", "UPDATE 1-", false},
    {Lang::kFr, kFrTitles, kFrLeads, kFrBody, kFrClosings,
     {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"},
     "Agence synthétique", "ACTUALISÉ - ", false},
    {Lang::kRu, kRuTitles, kRuLeads, kRuBody, kRuClosings,
     {"в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу",
      "в воскресенье"},
     "Синтетическое агентство", "ОБНОВЛЕНО: ", false},
    {Lang::kFa, kFaTitles, kFaLeads, kFaBody, kFaClosings,
     {"روز دوشنبه", "روز سه\u200cشنبه", "روز چهارشنبه", "روز پنجشنبه", "روز جمعه", "روز شنبه",
      "روز یکشنبه"},
     "خبرگزاری مصنوعی", "به\u200cروزرسانی: ", true},
};

// clang-format on

// ---------------------------------------------------------------------------------------------
// Inflection.

constexpr std::string_view kArAl = "ال";

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// French names of class 'c' take "d'" rather than "de " before a vowel (d'Alep, d'Amman).
bool FrStartsWithVowel(std::string_view s) {
  if (s.empty()) return false;
  if (std::string_view("AEIOUaeiou").find(s[0]) != std::string_view::npos) return true;
  return StartsWith(s, "É") || StartsWith(s, "é");
}

void AppendFr(const Name& n, std::string_view form, std::string* out) {
  std::string_view t = n.text;
  if (n.cls == 'c' && StartsWith(t, "Le ")) {  // Le Caire: du Caire, au Caire
    std::string_view rest = t.substr(3);
    if (form == "the") {
      out->append(t);
    } else {
      out->append(form == "of" ? "du " : "au ");
      out->append(rest);
    }
    return;
  }
  std::string_view prefix;
  switch (n.cls) {
    case 'm':
      prefix = form == "the" ? "le " : form == "of" ? "du " : "au ";
      break;
    case 'f':
      prefix = form == "the" ? "la " : form == "of" ? "de la " : form == "in" ? "en " : "à la ";
      break;
    case 'v':
      prefix = form == "the" ? "l'" : form == "of" ? "de l'" : form == "in" ? "en " : "à l'";
      break;
    case 'p':
      prefix = form == "the" ? "les " : form == "of" ? "des " : "aux ";
      break;
    default:  // 'c': no article
      prefix = form == "the" ? "" : form == "of" ? (FrStartsWithVowel(t) ? "d'" : "de ") : "à ";
      break;
  }
  out->append(prefix);
  out->append(t);
}

// "во" before a word that starts with в/ф and a consonant (во Франции), "в" otherwise.
std::string_view RuIn(std::string_view loc) {
  static constexpr std::string_view kVowels[] = {"а", "е", "ё", "и", "о", "у", "ы", "э", "ю", "я"};
  if (StartsWith(loc, "В") || StartsWith(loc, "Ф")) {
    std::string_view next = loc.substr(2, 2);
    bool vowel = std::find(std::begin(kVowels), std::end(kVowels), next) != std::end(kVowels);
    if (!vowel) return "во ";
  }
  return "в ";
}

void AppendNumber(int n, bool persian, std::string* out) {
  std::string digits = std::to_string(n);
  if (!persian) {
    out->append(digits);
    return;
  }
  for (char c : digits) {  // ۰ is U+06F0: DB B0 in UTF-8
    out->push_back('\xDB');
    out->push_back(static_cast<char>(0xB0 + (c - '0')));
  }
}

// Which of the three counted-noun forms {N|a|b|c} a number takes (0, 1 or 2).
int CountForm(Lang lang, int n) {
  if (lang == Lang::kRu) {
    if (n % 10 == 1 && n % 100 != 11) return 0;
    if (n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14)) return 1;
    return 2;
  }
  // Arabic: 3–10 take a plural, 11–99 an accusative singular, round hundreds a genitive singular.
  int r = n % 100;
  if (r >= 3 && r <= 10) return 0;
  if (r >= 11) return 1;
  return 2;
}

// ---------------------------------------------------------------------------------------------
// The template walker, shared by Render and CheckLexicon.

// Index of the ']' that closes the '[' at `open`, or npos.
std::size_t MatchClose(std::string_view t, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < t.size(); ++i) {
    if (t[i] == '[') ++depth;
    if (t[i] == ']' && --depth == 0) return i;
    if (t[i] == '{') {
      i = t.find('}', i);
      if (i == std::string_view::npos) return i;
    }
  }
  return std::string_view::npos;
}

// Splits the inside of a choice at its top-level '|' (not inside nested [] or {}).
template <typename F>
void ForEachOption(std::string_view inner, F&& f) {
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < inner.size(); ++i) {
    char c = inner[i];
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') --depth;
    if (c == '|' && depth == 0) {
      f(inner.substr(start, i - start));
      start = i + 1;
    }
  }
  f(inner.substr(start));
}

const Entity* SlotEntity(const Bindings& b, std::string_view name) {
  if (name == "T1") return b.t1;
  if (name == "T2") return b.t2;
  if (name == "C1") return b.c1;
  if (name == "C2") return b.c2;
  if (name == "C3") return b.c3;
  if (name == "G1") return b.g1;
  if (name == "I1") return b.i1;
  if (name == "I2") return b.i2;
  return nullptr;
}

bool IsEntitySlot(std::string_view name) {
  return name == "T1" || name == "T2" || name == "C1" || name == "C2" || name == "C3" ||
         name == "G1" || name == "I1" || name == "I2";
}

int NumberSlot(const Bindings& b, std::string_view name) {
  if (name == "N1") return b.n1;
  if (name == "N2") return b.n2;
  return b.n3;
}

struct RenderCtx {
  const LangPack& pack;
  const Bindings& b;
  std::mt19937_64& rng;
  std::string* out;
  std::vector<const Entity*>* named;
};

std::size_t NameCount(const Entity& e, Lang lang) {
  std::size_t n = 0;
  while (n < kMaxNames && !e.names[static_cast<int>(lang)][n].text.empty()) ++n;
  return n;
}

void RenderEntity(const RenderCtx& c, const Entity& e, std::string_view form) {
  const Lang lang = c.pack.lang;
  std::size_t count = NameCount(e, lang);
  // Places have one name per language mostly; skip the draw then (it changes nothing).
  std::size_t pick = count > 1 ? UniformBelow(c.rng, count) : 0;
  const Name& n = e.names[static_cast<int>(lang)][pick];
  std::string* out = c.out;
  if (lang == Lang::kAr) {
    if (form == "wa") out->append("و");
    if (form == "bi") out->append("ب");
    if (form == "fa") out->append("ف");
    if (form == "li") {
      // ل + ال is written لل: للعراق, not لالعراق.
      out->append("ل");
      out->append(StartsWith(n.text, kArAl) ? n.text.substr(2) : n.text);
    } else {
      out->append(n.text);
    }
  } else if (lang == Lang::kRu) {
    if (form == "gen") {
      out->append(n.gen);
    } else if (form == "in") {
      out->append(RuIn(n.loc));
      out->append(n.loc);
    } else {
      out->append(n.text);
    }
  } else if (lang == Lang::kFr && !form.empty()) {
    AppendFr(n, form, out);
  } else if (lang == Lang::kEn && n.cls == 't') {
    out->append("the ");
    out->append(n.text);
  } else {
    out->append(n.text);
  }
  c.named->push_back(&e);
}

void RenderSlot(const RenderCtx& c, std::string_view slot) {
  std::string_view name = slot.substr(0, 2);
  if (slot == "D") {
    c.out->append(c.pack.weekdays[static_cast<std::size_t>(c.b.weekday) % 7]);
    return;
  }
  if (IsEntitySlot(name)) {
    std::string_view form = slot.size() > 3 ? slot.substr(3) : std::string_view();
    RenderEntity(c, *SlotEntity(c.b, name), form);
    return;
  }
  int n = NumberSlot(c.b, name);
  AppendNumber(n, c.pack.persian_digits, c.out);
  if (slot.size() > 2 && slot[2] == '|') {
    int want = CountForm(c.pack.lang, n);
    int i = 0;
    ForEachOption(slot.substr(3), [&](std::string_view noun) {
      if (i++ == want) {
        c.out->push_back(' ');
        c.out->append(noun);
      }
    });
  }
}

// Scans the choice that opens at t[open] == '[' in one pass: fills `bars` with the positions of
// its top-level '|' (at most kMaxOptions - 1 are kept) and returns the position of its ']'.
// Raw pointers rather than string_view indexing: this loop is most of the generator's time, and
// unoptimised (Debug) builds do not inline operator[].
constexpr std::size_t kMaxOptions = 8;
std::size_t ScanChoice(std::string_view t, std::size_t open, std::size_t* bars,
                       std::size_t* nbars) {
  const char* const base = t.data();
  const char* const end = base + t.size();
  int depth = 0;
  *nbars = 0;
  for (const char* p = base + open; p < end; ++p) {
    switch (*p) {
      case '[':
      case '{':
        ++depth;
        break;
      case '}':
        --depth;
        break;
      case ']':
        if (--depth == 0) return static_cast<std::size_t>(p - base);
        break;
      case '|':
        if (depth == 1 && *nbars < kMaxOptions - 1) {
          bars[(*nbars)++] = static_cast<std::size_t>(p - base);
        }
        break;
      default:
        break;
    }
  }
  return std::string_view::npos;
}

// Position of the first '[' or '{' at or after `from`, or npos. (string_view::find_first_of
// calls memchr on the set for every byte: several times slower here.)
std::size_t FindSpecial(std::string_view t, std::size_t from) {
  const char* const base = t.data();
  const char* const end = base + t.size();
  for (const char* p = base + from; p < end; ++p) {
    if (*p == '[' || *p == '{') return static_cast<std::size_t>(p - base);
  }
  return std::string_view::npos;
}

void RenderRange(const RenderCtx& c, std::string_view t) {
  std::size_t i = 0;
  while (i < t.size()) {
    std::size_t special = FindSpecial(t, i);
    if (special == std::string_view::npos) {
      c.out->append(t.data() + i, t.size() - i);
      return;
    }
    c.out->append(t.data() + i, special - i);
    if (t[special] == '{') {
      std::size_t end = t.find('}', special);
      RenderSlot(c, t.substr(special + 1, end - special - 1));
      i = end + 1;
      continue;
    }
    std::size_t bars[kMaxOptions];
    std::size_t nbars = 0;
    const std::size_t end = ScanChoice(t, special, bars, &nbars);
    const std::size_t want = UniformBelow(c.rng, nbars + 1);
    const std::size_t from = want == 0 ? special + 1 : bars[want - 1] + 1;
    const std::size_t to = want == nbars ? end : bars[want];
    RenderRange(c, t.substr(from, to - from));
    i = end + 1;
  }
}

// Checks `t` and returns through *slots the sorted entity slots it names; false and *why on error.
bool CheckRange(std::string_view t, Lang lang, std::vector<std::string>* slots, std::string* why) {
  std::size_t i = 0;
  while (i < t.size()) {
    char ch = t[i];
    if (ch == ']' || ch == '}' || ch == '|') {
      *why = std::string("stray '") + ch + "'";
      return false;
    }
    if (ch == '{') {
      std::size_t end = t.find('}', i);
      if (end == std::string_view::npos) {
        *why = "unclosed '{'";
        return false;
      }
      std::string_view slot = t.substr(i + 1, end - i - 1);
      std::string_view name = slot.substr(0, 2);
      if (slot == "D") {
        // ok
      } else if (IsEntitySlot(name)) {
        std::string_view form;
        if (slot.size() > 2) {
          if (slot[2] != '.') {
            *why = "bad slot {" + std::string(slot) + "}";
            return false;
          }
          form = slot.substr(3);
        }
        bool place = name[0] == 'T' || name[0] == 'C';
        bool ok = form.empty();
        if (lang == Lang::kAr) {
          ok = ok || form == "wa" || form == "bi" || form == "li" || form == "fa";
        }
        if (lang == Lang::kRu) ok = ok || form == "gen" || (place && form == "in");
        if (lang == Lang::kFr) {
          ok = form == "the" || form == "of" || (place && (form == "in" || form == "to"));
          // A bare French name is fine for cities (no article) only.
          if (form.empty()) ok = name[0] == 'T';
        }
        if (!ok) {
          *why = "slot {" + std::string(slot) + "} is not valid in " + std::string(LangCode(lang));
          return false;
        }
        slots->push_back(std::string(name));
      } else if (name == "N1" || name == "N2" || name == "N3") {
        if (slot.size() > 2) {
          int forms = 0;
          ForEachOption(slot.substr(3), [&](std::string_view) { ++forms; });
          if (slot[2] != '|' || forms != 3 || (lang != Lang::kRu && lang != Lang::kAr)) {
            *why = "bad number slot {" + std::string(slot) + "}";
            return false;
          }
        }
      } else {
        *why = "unknown slot {" + std::string(slot) + "}";
        return false;
      }
      i = end + 1;
      continue;
    }
    if (ch == '[') {
      std::size_t end = MatchClose(t, i);
      if (end == std::string_view::npos) {
        *why = "unclosed '['";
        return false;
      }
      std::vector<std::string> first;
      bool have_first = false;
      bool ok = true;
      std::size_t options = 0;
      ForEachOption(t.substr(i + 1, end - i - 1), [&](std::string_view) { ++options; });
      if (options > kMaxOptions) {
        *why = "more than " + std::to_string(kMaxOptions) + " options in a choice";
        return false;
      }
      ForEachOption(t.substr(i + 1, end - i - 1), [&](std::string_view o) {
        if (!ok) return;
        std::vector<std::string> s;
        if (!CheckRange(o, lang, &s, why)) {
          ok = false;
          return;
        }
        std::sort(s.begin(), s.end());
        if (!have_first) {
          first = s;
          have_first = true;
        } else if (s != first) {
          *why = "options of a choice name different entity slots: [" +
                 std::string(t.substr(i + 1, end - i - 1)) + "]";
          ok = false;
        }
      });
      if (!ok) return false;
      slots->insert(slots->end(), first.begin(), first.end());
      i = end + 1;
      continue;
    }
    ++i;
  }
  return true;
}

core::Status CheckOne(std::string_view t, Lang lang, std::string_view what) {
  std::vector<std::string> slots;
  std::string why;
  if (!CheckRange(t, lang, &slots, &why)) {
    return core::Status::Internal(std::string(LangCode(lang)) + " " + std::string(what) + ": " +
                                  why + " in \"" + std::string(t) + "\"");
  }
  return core::Status::Ok();
}

}  // namespace

std::string_view LangCode(Lang lang) {
  static constexpr std::string_view kCodes[kLangCount] = {"ar", "en", "fr", "ru", "fa"};
  return kCodes[static_cast<int>(lang)];
}

std::optional<Lang> ParseLang(std::string_view code) {
  for (int i = 0; i < kLangCount; ++i) {
    if (LangCode(static_cast<Lang>(i)) == code) return static_cast<Lang>(i);
  }
  return std::nullopt;
}

std::string_view ThemeName(Theme theme) {
  switch (theme) {
    case Theme::kSecurity:
      return "security";
    case Theme::kDiplomacy:
      return "diplomacy";
    case Theme::kHumanitarian:
      return "humanitarian";
  }
  return "security";
}

std::span<const Entity> Entities() { return kEntities; }

const Entity* FindEntity(std::string_view id) {
  for (const Entity& e : kEntities) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

std::vector<std::string> SurfaceForms(const Entity& e) {
  std::vector<std::string> forms;
  for (int l = 0; l < kLangCount; ++l) {
    for (const Name& n : e.names[l]) {
      if (n.text.empty()) break;
      forms.emplace_back(n.text);
      if (static_cast<Lang>(l) == Lang::kRu) {
        if (!n.gen.empty()) forms.emplace_back(n.gen);
        if (!n.loc.empty()) forms.emplace_back(n.loc);
      }
      if (static_cast<Lang>(l) == Lang::kFr) {
        for (std::string_view form : {"the", "of", "in", "to"}) {
          std::string s;
          AppendFr(n, form, &s);
          forms.push_back(std::move(s));
        }
      }
    }
  }
  std::sort(forms.begin(), forms.end());
  forms.erase(std::unique(forms.begin(), forms.end()), forms.end());
  return forms;
}

const LangPack& Pack(Lang lang) { return kPacks[static_cast<int>(lang)]; }

std::uint64_t UniformBelow(std::mt19937_64& rng, std::uint64_t n) {
  // Accept only values below the largest multiple of n, so every residue is equally likely.
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t limit = kMax - kMax % n;
  std::uint64_t x;
  do {
    x = rng();
  } while (x >= limit);
  return x % n;
}

void Render(std::string_view text, const LangPack& pack, const Bindings& b, std::mt19937_64& rng,
            std::string* out, std::vector<const Entity*>* named) {
  const std::size_t start = out->size();
  RenderRange(RenderCtx{pack, b, rng, out, named}, text);
  // English and French sentences may open with a slot whose article is lower case ("the UN",
  // "l'Irak"); the sentence still starts with a capital.
  if ((pack.lang == Lang::kEn || pack.lang == Lang::kFr) && out->size() > start) {
    char& first = (*out)[start];
    if (first >= 'a' && first <= 'z') first = static_cast<char>(first - 'a' + 'A');
  }
}

core::Status CheckLexicon() {
  for (int l = 0; l < kLangCount; ++l) {
    const LangPack& p = kPacks[l];
    const Lang lang = static_cast<Lang>(l);
    if (p.lang != lang) return core::Status::Internal("pack order does not follow Lang");
    for (Theme theme : {Theme::kSecurity, Theme::kDiplomacy, Theme::kHumanitarian}) {
      auto has = [theme](std::span<const Template> ts) {
        return std::any_of(ts.begin(), ts.end(),
                           [theme](const Template& t) { return t.theme == theme; });
      };
      if (!has(p.titles) || !has(p.leads)) {
        return core::Status::Internal(std::string(LangCode(lang)) + ": no title or lead for " +
                                      std::string(ThemeName(theme)));
      }
    }
    for (const Template& t : p.titles) MARKAZ_RETURN_IF_ERROR(CheckOne(t.text, lang, "title"));
    for (const Template& t : p.leads) MARKAZ_RETURN_IF_ERROR(CheckOne(t.text, lang, "lead"));
    for (std::string_view t : p.body) MARKAZ_RETURN_IF_ERROR(CheckOne(t, lang, "body"));
    for (std::string_view t : p.closings) MARKAZ_RETURN_IF_ERROR(CheckOne(t, lang, "closing"));
  }
  std::map<std::string_view, std::string_view> owner;  // name → entity id
  for (const Entity& e : kEntities) {
    if ((e.kind == EntityKind::kCity) != !e.country.empty()) {
      return core::Status::Internal(std::string(e.id) + ": only cities have a country");
    }
    if (!e.country.empty() && FindEntity(e.country) == nullptr) {
      return core::Status::Internal(std::string(e.id) + ": unknown country");
    }
    for (int l = 0; l < kLangCount; ++l) {
      if (e.names[l][0].text.empty()) {
        return core::Status::Internal(std::string(e.id) + ": no name in " +
                                      std::string(LangCode(static_cast<Lang>(l))));
      }
      for (const Name& n : e.names[l]) {
        if (n.text.empty()) break;
        bool place = e.kind == EntityKind::kCountry || e.kind == EntityKind::kCity;
        if (static_cast<Lang>(l) == Lang::kRu && (n.gen.empty() || (place && n.loc.empty()))) {
          return core::Status::Internal(std::string(e.id) + ": Russian forms missing");
        }
        if (static_cast<Lang>(l) == Lang::kFr &&
            std::string_view("mfvpc").find(n.cls) == std::string_view::npos) {
          return core::Status::Internal(std::string(e.id) + ": French article class missing");
        }
        auto [it, inserted] = owner.emplace(n.text, e.id);
        if (!inserted && it->second != e.id) {
          return core::Status::Internal("name \"" + std::string(n.text) + "\" is used by " +
                                        std::string(it->second) + " and " + std::string(e.id));
        }
      }
    }
  }
  return core::Status::Ok();
}

}  // namespace markaz::synth
