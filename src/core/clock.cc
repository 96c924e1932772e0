#include "core/clock.h"

namespace markaz::core {

Time SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

}  // namespace markaz::core
