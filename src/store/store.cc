// Nothing is shared by the back ends yet: store.h is an interface plus plain row types. This
// file keeps the markaz_store target a real library, so code that later belongs to every back
// end (query specs, row validation) has a home.
#include "store/store.h"

namespace markaz::store {

std::string_view RequestStateName(RequestState state) {
  switch (state) {
    case RequestState::kPending: return "pending";
    case RequestState::kApproved: return "approved";
    case RequestState::kDenied: return "denied";
  }
  return "pending";
}

}  // namespace markaz::store
