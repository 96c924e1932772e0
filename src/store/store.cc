// Nothing is shared by the back ends yet: store.h is an interface plus plain row types. This
// file keeps the markaz_store target a real library, so code that later belongs to every back
// end (query specs, row validation) has a home.
#include "store/store.h"
