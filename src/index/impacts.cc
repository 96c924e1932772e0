// Building impact lists. A front is found by one sort and one sweep; narrowing is greedy
// (a front longer than kMaxImpacts is rare and short: at most one pair per distinct frequency).
#include "index/impacts.h"

#include <algorithm>
#include <limits>

#include "index/bm25.h"

namespace markaz::index::impacts {

std::vector<Impact> ParetoFront(std::span<Impact> pairs) {
  // Highest freq first, shortest first among equal freqs: a pair is on the front exactly when
  // it is shorter than every pair before it.
  std::sort(pairs.begin(), pairs.end(), [](const Impact& a, const Impact& b) {
    if (a.freq != b.freq) return a.freq > b.freq;
    return a.length < b.length;
  });
  std::vector<Impact> front;
  std::uint64_t shortest = std::numeric_limits<std::uint64_t>::max();
  for (const Impact& p : pairs) {
    if (p.length < shortest) {
      front.push_back(p);
      shortest = p.length;
    }
  }
  std::reverse(front.begin(), front.end());
  return front;
}

void Narrow(std::vector<Impact>& front, double reference_length) {
  // A segment of empty documents has no terms; any positive avgdl keeps the order defined.
  const double avglen = reference_length > 0 ? reference_length : 1.0;
  while (front.size() > kMaxImpacts) {
    std::size_t best = 0;
    double best_score = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i + 1 < front.size(); ++i) {
      const double score = internal::Bm25Term(
          1.0, front[i + 1].freq, internal::Bm25Norm(front[i].length, avglen));
      if (score < best_score) {
        best_score = score;
        best = i;
      }
    }
    front[best].freq = front[best + 1].freq;
    front.erase(front.begin() + static_cast<std::ptrdiff_t>(best) + 1);
  }
}

void Encode(std::span<const Impact> list, std::string* out) {
  codec::PutVarint(out, list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i == 0) {
      codec::PutVarint(out, list[i].freq);
      codec::PutVarint(out, list[i].length);
    } else {
      codec::PutVarint(out, list[i].freq - list[i - 1].freq - 1);
      codec::PutVarint(out, list[i].length - list[i - 1].length - 1);
    }
  }
}

}  // namespace markaz::index::impacts
