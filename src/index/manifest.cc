#include "index/manifest.h"

#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <roaring/roaring.hh>
#include <sstream>
#include <system_error>

namespace markaz::index {
namespace {

using core::Result;
using core::Status;

constexpr std::string_view kManifestMagic = "markaz-index-manifest 1";
constexpr char kOverlayMagic[8] = {'M', 'K', 'Z', 'O', 'V', 'L', '0', '1'};

// The damage can only come from the disk (the file is replaced atomically), so the message
// says what to do: the index is derived data, rebuilt from the store.
Status Corrupt(const std::string& what) {
  return Status(core::Code::kInternal, "index_manifest_corrupt",
                what +
                    "; the index directory is damaged: delete it and restart, the index is "
                    "rebuilt from the store");
}

Status IoError(const std::string& what, const std::filesystem::path& path) {
  return Status::Internal(what + " " + path.string() + ": " + std::strerror(errno));
}

std::string Hex16(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

template <typename T>
bool ParseNumber(std::string_view s, T& out, int base = 10) {
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return ec == std::errc() && end == s.data() + s.size();
}

bool HasNumberedName(std::string_view name, std::string_view prefix, std::string_view suffix) {
  if (name.size() <= prefix.size() + suffix.size()) return false;
  if (name.substr(0, prefix.size()) != prefix) return false;
  if (name.substr(name.size() - suffix.size()) != suffix) return false;
  for (char c : name.substr(prefix.size(), name.size() - prefix.size() - suffix.size())) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool ValidFileName(std::string_view name) {
  return HasNumberedName(name, "seg_", ".mkz") || HasNumberedName(name, "ovl_", ".mkv");
}

void PutU32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void PutU64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// A bounds-checked little-endian reader over untrusted bytes.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool U32(std::uint32_t& v) {
    if (bytes_.size() - pos_ < 4) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) {
      v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes_[pos_ + i])) << (8 * i);
    }
    pos_ += 4;
    return true;
  }
  bool Bytes(std::size_t n, std::string_view& out) {
    if (bytes_.size() - pos_ < n) return false;
    out = bytes_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool done() const { return pos_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

std::uint64_t GetU64(std::string_view b) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(b[i])) << (8 * i);
  }
  return v;
}

Result<std::string> ReadWholeFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound("file_missing", path.string() + " is missing");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot open", path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return IoError("cannot read", path);
  return ss.str();
}

Status SyncDirectory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return IoError("cannot open directory", dir);
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return IoError("cannot fsync directory", dir);
  return Status::Ok();
}

}  // namespace

std::string SegmentFileName(std::uint64_t number) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "seg_%08llu.mkz", static_cast<unsigned long long>(number));
  return buf;
}

std::string OverlayFileName(std::uint64_t number) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "ovl_%08llu.mkv", static_cast<unsigned long long>(number));
  return buf;
}

bool IsIndexFileName(std::string_view name) {
  return name.starts_with("seg_") || name.starts_with("ovl_") || name.starts_with(kManifestFile);
}

std::string EncodeManifest(const Manifest& m) {
  std::string out;
  out += kManifestMagic;
  out += "\ngeneration " + std::to_string(m.generation);
  out += "\nnext_file " + std::to_string(m.next_file);
  out += "\ndurable_seq " + std::to_string(m.durable_seq);
  for (const ManifestSegment& s : m.segments) {
    out += "\nsegment " + s.file + " " + (s.overlay_file.empty() ? "-" : s.overlay_file);
  }
  out += "\n";
  out += "checksum " + Hex16(XXH64(out.data(), out.size(), 0)) + "\n";
  return out;
}

Result<Manifest> DecodeManifest(std::string_view bytes) {
  // The checksum line is last; everything before it is what it covers.
  if (bytes.empty() || bytes.back() != '\n') return Corrupt("manifest is truncated");
  const std::size_t last = bytes.rfind('\n', bytes.size() - 2);
  if (last == std::string_view::npos) return Corrupt("manifest has no checksum line");
  const std::string_view body = bytes.substr(0, last + 1);
  const std::string_view check_line = bytes.substr(last + 1, bytes.size() - last - 2);
  std::uint64_t stored = 0;
  if (!check_line.starts_with("checksum ") || !ParseNumber(check_line.substr(9), stored, 16) ||
      check_line.size() != 9 + 16) {
    return Corrupt("manifest has no checksum line");
  }
  if (XXH64(body.data(), body.size(), 0) != stored) return Corrupt("manifest checksum mismatch");

  Manifest m;
  bool seen_magic = false, seen_generation = false, seen_next = false, seen_durable = false;
  std::size_t pos = 0;
  while (pos < body.size()) {
    const std::size_t nl = body.find('\n', pos);
    const std::string_view line = body.substr(pos, nl - pos);
    pos = nl + 1;
    if (!seen_magic) {
      if (line != kManifestMagic) return Corrupt("not a markaz index manifest (version?)");
      seen_magic = true;
      continue;
    }
    const std::size_t sp = line.find(' ');
    if (sp == std::string_view::npos)
      return Corrupt("bad manifest line '" + std::string(line) + "'");
    const std::string_view key = line.substr(0, sp), value = line.substr(sp + 1);
    bool ok = true;
    if (key == "generation") {
      ok = ParseNumber(value, m.generation);
      seen_generation = true;
    } else if (key == "next_file") {
      ok = ParseNumber(value, m.next_file);
      seen_next = true;
    } else if (key == "durable_seq") {
      ok = ParseNumber(value, m.durable_seq);
      seen_durable = true;
    } else if (key == "segment") {
      const std::size_t sp2 = value.find(' ');
      ok = sp2 != std::string_view::npos;
      if (ok) {
        ManifestSegment s{std::string(value.substr(0, sp2)), std::string(value.substr(sp2 + 1))};
        if (s.overlay_file == "-") s.overlay_file.clear();
        ok = ValidFileName(s.file) && (s.overlay_file.empty() || ValidFileName(s.overlay_file));
        m.segments.push_back(std::move(s));
      }
    } else {
      ok = false;
    }
    if (!ok) return Corrupt("bad manifest line '" + std::string(line) + "'");
  }
  if (!seen_magic || !seen_generation || !seen_next || !seen_durable) {
    return Corrupt("manifest lacks a required line");
  }
  return m;
}

Result<Manifest> ReadManifest(const std::filesystem::path& dir) {
  Result<std::string> bytes = ReadWholeFile(dir / kManifestFile);
  if (!bytes.ok()) {
    if (bytes.status().code() == core::Code::kNotFound) {
      return Status::NotFound("index_manifest_missing", "no manifest in " + dir.string());
    }
    return bytes.status();
  }
  Result<Manifest> m = DecodeManifest(*bytes);
  if (!m.ok()) return m.status().WithContext((dir / kManifestFile).string());
  return m;
}

Status WriteManifest(const std::filesystem::path& dir, const Manifest& manifest) {
  return WriteFileDurably(dir, kManifestFile, EncodeManifest(manifest));
}

std::string EncodeOverlay(const VisibilityOverlay& overlay) {
  std::string out(kOverlayMagic, sizeof kOverlayMagic);
  PutU32(out, static_cast<std::uint32_t>(overlay.size()));
  for (const auto& [reader, docs] : overlay) {
    PutU32(out, static_cast<std::uint32_t>(reader.size()));
    out += reader;
    Roaring copy = docs;  // runOptimize changes the bitmap; the caller's stays as it is
    copy.runOptimize();
    const std::size_t n = copy.getSizeInBytes(/*portable=*/true);
    PutU32(out, static_cast<std::uint32_t>(n));
    const std::size_t at = out.size();
    out.resize(at + n);
    copy.write(out.data() + at, /*portable=*/true);
  }
  PutU64(out, XXH64(out.data(), out.size(), 0));
  return out;
}

Result<VisibilityOverlay> DecodeOverlay(std::string_view bytes) {
  if (bytes.size() < sizeof kOverlayMagic + 4 + 8 ||
      bytes.substr(0, sizeof kOverlayMagic) != std::string_view(kOverlayMagic, 8)) {
    return Corrupt("not an overlay file");
  }
  const std::string_view body = bytes.substr(0, bytes.size() - 8);
  if (XXH64(body.data(), body.size(), 0) != GetU64(bytes.substr(bytes.size() - 8))) {
    return Corrupt("overlay checksum mismatch");
  }
  Reader r(body.substr(sizeof kOverlayMagic));
  std::uint32_t count = 0;
  if (!r.U32(count)) return Corrupt("overlay is truncated");
  VisibilityOverlay overlay;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint32_t name_len = 0, bitmap_len = 0;
    std::string_view name, bitmap;
    if (!r.U32(name_len) || !r.Bytes(name_len, name) || !r.U32(bitmap_len) ||
        !r.Bytes(bitmap_len, bitmap)) {
      return Corrupt("overlay is truncated");
    }
    roaring_bitmap_t* b = roaring_bitmap_portable_deserialize_safe(bitmap.data(), bitmap.size());
    if (b == nullptr) return Corrupt("overlay bitmap is damaged");
    Roaring docs(b);  // takes ownership
    overlay.emplace(std::string(name), std::move(docs));
  }
  if (!r.done()) return Corrupt("overlay has trailing bytes");
  return overlay;
}

Result<VisibilityOverlay> ReadOverlay(const std::filesystem::path& file) {
  MARKAZ_ASSIGN_OR_RETURN(std::string bytes, ReadWholeFile(file));
  Result<VisibilityOverlay> overlay = DecodeOverlay(bytes);
  if (!overlay.ok()) return overlay.status().WithContext(file.string());
  return overlay;
}

Status WriteFileDurably(const std::filesystem::path& dir, const std::string& name,
                        std::string_view bytes) {
  const std::filesystem::path tmp = dir / (name + ".tmp");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot create", tmp);
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  bool ok = true;
  while (ok && left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) {
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  }
  ok = ok && ::fsync(fd) == 0;
  Status status = ok ? Status::Ok() : IoError("cannot write", tmp);
  if (::close(fd) != 0 && status.ok()) status = IoError("cannot close", tmp);
  if (status.ok() && ::rename(tmp.c_str(), (dir / name).c_str()) != 0) {
    status = IoError("cannot rename", tmp);
  }
  if (!status.ok()) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    return status;
  }
  // The rename is durable only once the directory is.
  return SyncDirectory(dir);
}

}  // namespace markaz::index
