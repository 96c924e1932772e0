// The synthetic-corpus generator: originals from the templates of lexicon.h, and duplicates
// derived from a bounded window of recent originals.
//
// Every random draw comes from one mt19937_64 in a fixed order, so the output depends only on
// the options. Draws are never made twice in one expression: C++ leaves the evaluation order of
// function arguments unspecified, and two draws there could swap between compilers.
#include "synth/generator.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <random>
#include <utility>

#include "core/json_string.h"
#include "synth/lexicon.h"

namespace markaz::synth {

using core::AppendJsonString;
namespace {

constexpr std::int64_t kSpanMs = 30LL * 24 * 3600 * 1000;  // originals spread over 30 days
constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int kWires = 24;

// Body size of an original, in bytes, before the last sentence overshoots it. Excerpts are about
// a third of an original, so originals aim a little above the ~2 KB corpus average.
constexpr std::uint64_t kTargetMin = 1100;
constexpr std::uint64_t kTargetSpread = 1600;
constexpr std::size_t kMinParagraphs = 4;  // so that an excerpt of 2–3 paragraphs is a part

// One original kept for deriving duplicates: how it was made (to rewrite it) and what it said
// (to reprint or excerpt it).
struct Story {
  std::string external_id;
  Lang lang = Lang::kEn;
  Theme theme = Theme::kSecurity;
  Bindings b;
  const Template* title_template = nullptr;
  std::vector<std::vector<std::string_view>> plan;  // paragraphs of sentence templates
  bool has_closing = false;                         // plan.back().back() is a closing
  std::string title;
  std::vector<std::string> paragraphs;
  std::vector<const Entity*> title_named;
  std::vector<std::vector<const Entity*>> paragraph_named;
  core::Time observed_at;
  bool has_location = false;
  std::int64_t lat_e4 = 0;  // degrees × 10⁴
  std::int64_t lon_e4 = 0;
  int wire = 1;
};

// The fields of one output line that are not text.
struct Envelope {
  int wire = 1;
  char reliability = 'C';
  int credibility = 3;
  core::Time observed_at;
  bool has_location = false;
  std::int64_t lat_e4 = 0;
  std::int64_t lon_e4 = 0;
  std::string_view tlp;
  int release = 0;  // index into kReleases
};

constexpr std::string_view kReleases[] = {"[]", "[\"members\"]", "[\"members\",\"partners\"]",
                                          "[\"all\"]"};

double Uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

bool Chance(std::mt19937_64& rng, int percent) {
  return UniformBelow(rng, 100) < static_cast<std::uint64_t>(percent);
}

// Index into `weights`, each chosen with probability weight / sum.
std::size_t Weighted(std::mt19937_64& rng, std::initializer_list<int> weights) {
  int sum = 0;
  for (int w : weights) sum += w;
  auto x = static_cast<int>(UniformBelow(rng, static_cast<std::uint64_t>(sum)));
  std::size_t i = 0;
  for (int w : weights) {
    if (x < w) return i;
    x -= w;
    ++i;
  }
  return i - 1;
}

// Fisher–Yates with our own draws (std::shuffle's algorithm is left to the library).
template <typename T>
void Shuffle(std::mt19937_64& rng, std::vector<T>* v) {
  for (std::size_t i = v->size(); i > 1; --i) {
    std::size_t j = UniformBelow(rng, i);
    std::swap((*v)[i - 1], (*v)[j]);
  }
}

template <typename T>
const T* PickFrom(std::mt19937_64& rng, const std::vector<const T*>& from) {
  return from[UniformBelow(rng, from.size())];
}

// How often a city of this country is where a story happens: the region the centre watches
// (DESIGN.md's seed article: Iraq and Syria first). Cities elsewhere (Moscow, Paris, London …)
// are not the scene of fighting; they appear as the second city, where talks are held.
int RegionWeight(std::string_view country) {
  static constexpr std::pair<std::string_view, int> kWeights[] = {
      {"place:iraq", 4},    {"place:syria", 4},  {"place:yemen", 2}, {"place:afghanistan", 2},
      {"place:lebanon", 2}, {"place:jordan", 1}, {"place:egypt", 1}, {"place:saudi-arabia", 1},
      {"place:qatar", 1},   {"place:turkey", 1}, {"place:iran", 1},
  };
  for (const auto& [id, weight] : kWeights) {
    if (id == country) return weight;
  }
  return 0;
}

int WeekdayOf(core::Time t) {
  std::int64_t ms = t.time_since_epoch().count();
  std::int64_t days = ms / kDayMs - (ms % kDayMs < 0 ? 1 : 0);
  return static_cast<int>(((days % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday (3)
}

void AppendE4(std::int64_t v, std::string* out) {
  if (v < 0) {
    out->push_back('-');
    v = -v;
  }
  out->append(std::to_string(v / 10000));
  out->push_back('.');
  std::string frac = std::to_string(v % 10000);
  out->append(4 - frac.size(), '0');
  out->append(frac);
}

std::string Join(const std::vector<std::string>& paragraphs, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (i > from) out.append("\n\n");
    out.append(paragraphs[i]);
  }
  return out;
}

void AddIds(const std::vector<const Entity*>& named, std::vector<std::string>* ids) {
  for (const Entity* e : named) ids->emplace_back(e->id);
}

void SortUnique(std::vector<std::string>* ids) {
  std::sort(ids->begin(), ids->end());
  ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
}

}  // namespace

struct Generator::State {
  GenOptions options;
  std::vector<Lang> langs;
  std::mt19937_64 rng;
  std::size_t produced = 0;
  std::vector<Story> window;  // a ring of the last kWindow originals
  std::size_t window_next = 0;
  std::vector<const Entity*> cities, countries, groups, institutions;
  std::vector<int> city_weights;
  std::vector<std::size_t> deck;  // body templates of the original being written, shuffled
  std::size_t deck_pos = 0;

  explicit State(GenOptions o) : options(std::move(o)), rng(options.seed) {
    for (const Entity& e : Entities()) {
      switch (e.kind) {
        case EntityKind::kCity:
          cities.push_back(&e);
          city_weights.push_back(RegionWeight(e.country));
          break;
        case EntityKind::kCountry:
          countries.push_back(&e);
          break;
        case EntityKind::kGroup:
          groups.push_back(&e);
          break;
        case EntityKind::kInstitution:
          institutions.push_back(&e);
          break;
      }
    }
  }

  const Entity* PickCity() {
    int sum = 0;
    for (int w : city_weights) sum += w;
    auto x = static_cast<int>(UniformBelow(rng, static_cast<std::uint64_t>(sum)));
    for (std::size_t i = 0; i < cities.size(); ++i) {
      if (x < city_weights[i]) return cities[i];
      x -= city_weights[i];
    }
    return cities.back();
  }

  // A country other than those in `not_these`.
  const Entity* PickCountryExcept(std::initializer_list<const Entity*> not_these) {
    for (;;) {
      const Entity* c = PickFrom(rng, countries);
      if (std::find(not_these.begin(), not_these.end(), c) == not_these.end()) return c;
    }
  }

  Bindings PickBindings(core::Time observed_at) {
    Bindings b;
    b.t1 = PickCity();
    b.c1 = FindEntity(b.t1->country);
    // The second city is usually in the same country (fighting spreads along a front, people
    // flee to the next city), else in the region, now and then anywhere (talks in Paris).
    std::vector<const Entity*> near;
    for (const Entity* c : cities) {
      if (c != b.t1 && c->country == b.t1->country) near.push_back(c);
    }
    const std::size_t where = Weighted(rng, {70, 25, 5});
    if (where == 0 && !near.empty()) {
      b.t2 = PickFrom(rng, near);
    } else {
      do {
        b.t2 = where == 2 ? PickFrom(rng, cities) : PickCity();
      } while (b.t2 == b.t1);
    }
    b.c2 = PickCountryExcept({b.c1});
    b.c3 = PickCountryExcept({b.c1, b.c2});
    b.g1 = PickFrom(rng, groups);
    b.i1 = PickFrom(rng, institutions);
    do {
      b.i2 = PickFrom(rng, institutions);
    } while (b.i2 == b.i1);
    b.n1 = 3 + static_cast<int>(UniformBelow(rng, 58));           // 3..60
    b.n2 = 10 * (10 + static_cast<int>(UniformBelow(rng, 891)));  // 100..9000
    b.n3 = 3 + static_cast<int>(UniformBelow(rng, 8));            // 3..10
    b.weekday = WeekdayOf(observed_at);
    return b;
  }

  std::string_view NextBody(const LangPack& pack) {
    if (deck_pos == deck.size()) {
      deck.resize(pack.body.size());
      for (std::size_t i = 0; i < deck.size(); ++i) deck[i] = i;
      Shuffle(rng, &deck);
      deck_pos = 0;
    }
    return pack.body[deck[deck_pos++]];
  }

  // Renders one paragraph of sentence templates.
  void RenderParagraph(const LangPack& pack, const Bindings& b,
                       const std::vector<std::string_view>& sentences, std::string* text,
                       std::vector<const Entity*>* named) {
    for (std::size_t i = 0; i < sentences.size(); ++i) {
      if (i > 0) text->push_back(' ');
      Render(sentences[i], pack, b, rng, text, named);
    }
  }

  void AddParagraph(Story* s, std::vector<std::string_view> sentences) {
    const LangPack& pack = Pack(s->lang);
    std::string text;
    std::vector<const Entity*> named;
    RenderParagraph(pack, s->b, sentences, &text, &named);
    s->plan.push_back(std::move(sentences));
    s->paragraphs.push_back(std::move(text));
    s->paragraph_named.push_back(std::move(named));
  }

  static std::size_t BodyBytes(const Story& s) {
    std::size_t n = 0;
    for (const std::string& p : s.paragraphs) n += p.size() + 2;
    return n;
  }

  Story MakeOriginal(std::size_t index) {
    Story s;
    s.external_id = ExternalId(index);
    s.lang = langs[UniformBelow(rng, langs.size())];
    const LangPack& pack = Pack(s.lang);
    s.theme = static_cast<Theme>(UniformBelow(rng, 3));

    const double position = (static_cast<double>(index) + Uniform01(rng)) /
                            static_cast<double>(std::max<std::size_t>(options.count, 1));
    std::int64_t offset = static_cast<std::int64_t>(static_cast<double>(kSpanMs) * position);
    offset = std::min(offset, kSpanMs - 1);
    offset -= offset % 1000;  // whole seconds
    s.observed_at = options.start + std::chrono::milliseconds(offset);

    s.b = PickBindings(s.observed_at);
    s.wire = 1 + static_cast<int>(UniformBelow(rng, kWires));
    if (Chance(rng, 50)) {
      s.has_location = true;
      // A few km around the city centre.
      std::int64_t dlat = static_cast<std::int64_t>(UniformBelow(rng, 401)) - 200;
      std::int64_t dlon = static_cast<std::int64_t>(UniformBelow(rng, 401)) - 200;
      s.lat_e4 = std::llround(s.b.t1->lat * 1e4) + dlat;
      s.lon_e4 = std::llround(s.b.t1->lon * 1e4) + dlon;
    }

    std::vector<const Template*> titles, leads;
    for (const Template& t : pack.titles) {
      if (t.theme == s.theme) titles.push_back(&t);
    }
    for (const Template& t : pack.leads) {
      if (t.theme == s.theme) leads.push_back(&t);
    }
    s.title_template = PickFrom(rng, titles);
    Render(s.title_template->text, pack, s.b, rng, &s.title, &s.title_named);

    deck.clear();
    deck_pos = 0;
    const std::uint64_t target = kTargetMin + UniformBelow(rng, kTargetSpread + 1);
    std::vector<std::string_view> lead_paragraph = {PickFrom(rng, leads)->text};
    if (Chance(rng, 50)) lead_paragraph.push_back(NextBody(pack));
    AddParagraph(&s, std::move(lead_paragraph));
    while (BodyBytes(s) < target || s.paragraphs.size() < kMinParagraphs) {
      // News paragraphs are short: one to three sentences.
      std::size_t n = 1 + Weighted(rng, {35, 45, 20});
      std::vector<std::string_view> sentences;
      for (std::size_t i = 0; i < n; ++i) sentences.push_back(NextBody(pack));
      AddParagraph(&s, std::move(sentences));
    }
    if (Chance(rng, 60)) {
      // The closing joins the last paragraph: re-render it with the closing appended.
      std::string_view closing = pack.closings[UniformBelow(rng, pack.closings.size())];
      std::string& text = s.paragraphs.back();
      text.push_back(' ');
      Render(closing, pack, s.b, rng, &text, &s.paragraph_named.back());
      s.plan.back().push_back(closing);
      s.has_closing = true;
    }
    return s;
  }

  std::string ExternalId(std::size_t index) const {
    return "syn-" + std::to_string(options.seed) + "-" + std::to_string(index);
  }

  // The same story told again: every sentence re-rendered with fresh choices (other words,
  // other aliases), sentences shuffled within their paragraph (the lead stays first) and the
  // paragraphs after the lead shuffled. Same templates and bindings, so the same entities.
  void Rewrite(const Story& o, std::string* title, std::string* body,
               std::vector<const Entity*>* named) {
    const LangPack& pack = Pack(o.lang);
    Render(o.title_template->text, pack, o.b, rng, title, named);
    std::vector<std::vector<std::string_view>> plan = o.plan;
    std::string_view closing;
    if (o.has_closing) {
      closing = plan.back().back();
      plan.back().pop_back();
      if (plan.back().empty()) plan.pop_back();
    }
    std::vector<std::string_view> lead_rest(plan[0].begin() + 1, plan[0].end());
    Shuffle(rng, &lead_rest);
    plan[0].resize(1);
    plan[0].insert(plan[0].end(), lead_rest.begin(), lead_rest.end());
    std::vector<std::vector<std::string_view>> rest(plan.begin() + 1, plan.end());
    Shuffle(rng, &rest);
    for (auto& p : rest) Shuffle(rng, &p);
    plan.resize(1);
    plan.insert(plan.end(), rest.begin(), rest.end());
    if (o.has_closing) plan.back().push_back(closing);
    for (std::size_t i = 0; i < plan.size(); ++i) {
      if (i > 0) body->append("\n\n");
      RenderParagraph(pack, o.b, plan[i], body, named);
    }
  }

  int OtherWire(int wire) {
    return 1 + (wire - 1 + 1 + static_cast<int>(UniformBelow(rng, kWires - 1))) % kWires;
  }

  void Grade(Envelope* env) {
    static constexpr char kReliability[] = {'A', 'B', 'C', 'D', 'E', 'F'};
    env->reliability = kReliability[Weighted(rng, {10, 30, 30, 15, 5, 10})];
    env->credibility = 1 + static_cast<int>(Weighted(rng, {10, 30, 30, 15, 5, 10}));
    static constexpr std::string_view kTlp[] = {"clear", "green", "amber"};
    env->tlp = kTlp[Weighted(rng, {15, 35, 50})];
    env->release = static_cast<int>(Weighted(rng, {25, 45, 10, 20}));
  }

  void WriteLine(std::string_view title, std::string_view body, Lang lang, Theme theme,
                 const Envelope& env, std::string_view external_id, std::string* line) {
    line->clear();
    line->reserve(body.size() + title.size() + 512);
    line->append("{\"title\":");
    AppendJsonString(title, line);
    line->append(",\"body\":");
    AppendJsonString(body, line);
    line->append(",\"lang\":\"");
    line->append(LangCode(lang));
    line->append("\",\"source\":{\"name\":\"Synthetic Wire ");
    line->append(std::to_string(env.wire));
    line->append(" (synthetic)\",\"url\":\"https://synthetic.invalid/wire-");
    line->append(std::to_string(env.wire));
    line->push_back('/');
    line->append(external_id);
    line->append("\",\"reliability\":\"");
    line->push_back(env.reliability);
    line->append("\",\"credibility\":");
    line->append(std::to_string(env.credibility));
    line->append("},\"observed_at\":\"");
    line->append(core::FormatRfc3339(env.observed_at));
    line->push_back('"');
    if (env.has_location) {
      line->append(",\"location\":{\"lat\":");
      AppendE4(env.lat_e4, line);
      line->append(",\"lon\":");
      AppendE4(env.lon_e4, line);
      line->push_back('}');
    }
    line->append(",\"tlp\":\"");
    line->append(env.tlp);
    line->append("\",\"release_to\":");
    line->append(kReleases[env.release]);
    line->append(",\"tags\":[\"synthetic\",\"");
    line->append(ThemeName(theme));
    line->append("\"],\"external_id\":\"");
    line->append(external_id);
    line->append("\"}");
  }
};

std::string_view DupKindName(DupKind kind) {
  switch (kind) {
    case DupKind::kOriginal:
      return "original";
    case DupKind::kReprint:
      return "reprint";
    case DupKind::kExcerpt:
      return "excerpt";
    case DupKind::kRewrite:
      return "rewrite";
  }
  return "original";
}

std::string GroundTruth::ToJsonLine() const {
  std::string out = "{\"external_id\":";
  AppendJsonString(external_id, &out);
  out.append(",\"kind\":\"");
  out.append(DupKindName(kind));
  out.append("\",\"of\":");
  if (of.empty()) {
    out.append("null");
  } else {
    AppendJsonString(of, &out);
  }
  out.append(",\"lang\":");
  AppendJsonString(lang, &out);
  out.append(",\"entities\":[");
  for (std::size_t i = 0; i < entities.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(entities[i], &out);
  }
  out.append("]}");
  return out;
}

core::Result<Generator> Generator::Create(GenOptions options) {
  if (options.langs.empty()) {
    return core::Status::InvalidArgument("synth_bad_options", "no language given");
  }
  std::vector<Lang> langs;
  for (const std::string& code : options.langs) {
    std::optional<Lang> lang = ParseLang(code);
    if (!lang) {
      return core::Status::InvalidArgument(
          "synth_bad_options", "unknown language \"" + code + "\"; known: ar, en, fr, ru, fa");
    }
    langs.push_back(*lang);
  }
  auto state = std::make_unique<State>(std::move(options));
  state->langs = std::move(langs);
  return Generator(std::move(state));
}

Generator::Generator(std::unique_ptr<State> state) : state_(std::move(state)) {}
Generator::Generator(Generator&&) noexcept = default;
Generator& Generator::operator=(Generator&&) noexcept = default;
Generator::~Generator() = default;

std::size_t Generator::produced() const { return state_->produced; }

bool Generator::Next(std::string* line, GroundTruth* truth) {
  State& s = *state_;
  if (s.produced >= s.options.count) return false;
  const std::size_t index = s.produced++;
  std::mt19937_64& rng = s.rng;

  DupKind kind = DupKind::kOriginal;
  const std::uint64_t roll = UniformBelow(rng, 100);
  if (!s.window.empty()) {
    if (roll < 15) {
      kind = DupKind::kReprint;
    } else if (roll < 25) {
      kind = DupKind::kExcerpt;
    } else if (roll < 35) {
      kind = DupKind::kRewrite;
    }
  }

  truth->index = index;
  truth->external_id = s.ExternalId(index);
  truth->kind = kind;
  truth->entities.clear();

  Envelope env;
  if (kind == DupKind::kOriginal) {
    Story story = s.MakeOriginal(index);
    env.wire = story.wire;
    env.observed_at = story.observed_at;
    env.has_location = story.has_location;
    env.lat_e4 = story.lat_e4;
    env.lon_e4 = story.lon_e4;
    s.Grade(&env);
    s.WriteLine(story.title, Join(story.paragraphs, 0, story.paragraphs.size()), story.lang,
                story.theme, env, truth->external_id, line);
    truth->of.clear();
    truth->lang = std::string(LangCode(story.lang));
    AddIds(story.title_named, &truth->entities);
    for (const auto& named : story.paragraph_named) AddIds(named, &truth->entities);
    SortUnique(&truth->entities);
    if (s.window.size() < kWindow) {
      s.window.push_back(std::move(story));
    } else {
      s.window[s.window_next] = std::move(story);
      s.window_next = (s.window_next + 1) % kWindow;
    }
    return true;
  }

  const Story& o = s.window[UniformBelow(rng, s.window.size())];
  const LangPack& pack = Pack(o.lang);
  env.wire = s.OtherWire(o.wire);
  // Agencies pick a story up minutes to two days later.
  const std::int64_t delay_s = 600 + static_cast<std::int64_t>(UniformBelow(rng, 2 * 86400 - 600));
  env.observed_at = o.observed_at + std::chrono::seconds(delay_s);
  env.has_location = o.has_location;
  env.lat_e4 = o.lat_e4;
  env.lon_e4 = o.lon_e4;
  s.Grade(&env);
  truth->of = o.external_id;
  truth->lang = std::string(LangCode(o.lang));

  std::string title, body;
  switch (kind) {
    case DupKind::kReprint: {
      title = Chance(rng, 50) ? std::string(pack.update_prefix) + o.title : o.title;
      // "(Agency 7) - " before the first paragraph, the number in the language's digits.
      body = "(" + std::string(pack.agency) + " ";
      Bindings number;
      number.n1 = env.wire;
      std::vector<const Entity*> none;
      Render("{N1}", pack, number, rng, &body, &none);
      body += ") - " + Join(o.paragraphs, 0, o.paragraphs.size());
      AddIds(o.title_named, &truth->entities);
      for (const auto& named : o.paragraph_named) AddIds(named, &truth->entities);
      break;
    }
    case DupKind::kExcerpt: {
      std::size_t n = std::min<std::size_t>(2 + UniformBelow(rng, 2), o.paragraphs.size());
      std::size_t from = UniformBelow(rng, o.paragraphs.size() - n + 1);
      title = o.title;
      body = Join(o.paragraphs, from, from + n);
      AddIds(o.title_named, &truth->entities);
      for (std::size_t i = from; i < from + n; ++i) AddIds(o.paragraph_named[i], &truth->entities);
      break;
    }
    case DupKind::kRewrite:
    default: {
      std::vector<const Entity*> named;
      s.Rewrite(o, &title, &body, &named);
      AddIds(named, &truth->entities);
      break;
    }
  }
  SortUnique(&truth->entities);
  s.WriteLine(title, body, o.lang, o.theme, env, truth->external_id, line);
  return true;
}


}  // namespace markaz::synth
