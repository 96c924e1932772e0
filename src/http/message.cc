#include "http/message.h"

namespace markaz::http {

std::string_view Request::Header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? std::string_view() : std::string_view(it->second);
}

namespace {

std::string_view WithoutCr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

void LineSplitter::Feed(std::string_view bytes, const OnLine& on_line) {
  while (!bytes.empty()) {
    const std::size_t newline = bytes.find('\n');
    const bool ends = newline != std::string_view::npos;
    const std::string_view piece = bytes.substr(0, newline);
    if (!too_long_) {
      if (partial_.size() + piece.size() > max_line_) {
        too_long_ = true;
        partial_.clear();
      } else if (ends && partial_.empty()) {
        on_line(WithoutCr(piece), false);  // the whole line is in `bytes`: no copy
      } else {
        partial_.append(piece);
        if (ends) {
          on_line(WithoutCr(partial_), false);
          partial_.clear();
        }
      }
    }
    if (!ends) return;
    if (too_long_) {
      too_long_ = false;
      on_line({}, true);
    }
    bytes.remove_prefix(newline + 1);
  }
}

void LineSplitter::Finish(const OnLine& on_line) {
  if (too_long_) {
    too_long_ = false;
    on_line({}, true);
  } else if (!partial_.empty()) {
    on_line(WithoutCr(partial_), false);
  }
  partial_.clear();
}

}  // namespace markaz::http
