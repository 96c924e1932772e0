#include "cli/open_centre.h"

#include <filesystem>
#include <system_error>

#include "store/sqlite/sqlite_store.h"

namespace markaz::cli {
namespace {

std::unique_ptr<OpenedCentre> Wire(std::unique_ptr<store::Store> store) {
  auto opened = std::make_unique<OpenedCentre>();
  opened->store = std::move(store);
  opened->centre = std::make_unique<centre::Centre>(*opened->store, opened->clock, opened->ids);
  return opened;
}

}  // namespace

core::Result<std::unique_ptr<OpenedCentre>> OpenExistingCentre(const std::string& data_dir) {
  MARKAZ_ASSIGN_OR_RETURN(auto store, store::OpenSqliteStore(data_dir, store::OpenMode::kMustExist));
  MARKAZ_ASSIGN_OR_RETURN(bool initialised, store->IsInitialised());
  if (!initialised) {
    return core::Status::NotFound("no_centre", data_dir + " holds no initialised centre");
  }
  return Wire(std::move(store));
}

core::Result<std::unique_ptr<OpenedCentre>> CreateCentre(const std::string& data_dir,
                                                         const core::Charter& charter) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const bool dir_existed = fs::exists(data_dir, ec);
  // Refuse before touching anything: a directory that already holds a centre stays as it is.
  if (dir_existed) {
    auto existing = store::OpenSqliteStore(data_dir, store::OpenMode::kMustExist);
    if (existing.ok()) {
      return core::Status::Conflict("already_initialised",
                                    data_dir + " already holds a centre; refusing to touch it");
    }
  }
  auto cleanup = [&] {
    if (!dir_existed) fs::remove_all(data_dir, ec);
  };
  auto store = store::OpenSqliteStore(data_dir, store::OpenMode::kCreate);
  if (!store.ok()) {
    cleanup();
    return store.status();
  }
  auto opened = Wire(std::move(store).value());
  core::Status init = opened->centre->Init(charter);
  if (!init.ok()) {
    opened.reset();
    cleanup();
    return init;
  }
  return opened;
}

}  // namespace markaz::cli
