#include "cli/open_centre.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <utility>

#include "pipeline/indexer.h"
#include "pipeline/stories.h"
#include "store/sqlite/sqlite_store.h"

namespace markaz::cli {
namespace {

// Where compiled matchers are cached: DIR/cache, or $MARKAZ_CACHE_DIR when set (one cache for
// many centres on one machine — the test suite starts hundreds of servers). The cache is keyed
// by gazetteer fingerprint and Hyperscan version, so sharing it is safe.
std::filesystem::path CacheDir(const std::string& data_dir) {
  const char* env = std::getenv("MARKAZ_CACHE_DIR");
  if (env != nullptr && *env != '\0') return env;
  return std::filesystem::path(data_dir) / "cache";
}

core::Result<std::unique_ptr<OpenedCentre>> Wire(std::unique_ptr<store::Store> store,
                                                  const std::string& data_dir,
                                                  Processing processing) {
  auto opened = std::make_unique<OpenedCentre>();
  opened->store = std::move(store);
  if (processing == Processing::kOn) {
    MARKAZ_ASSIGN_OR_RETURN(opened->processor, pipeline::Processor::Create(CacheDir(data_dir)));
    index::IndexOptions options;
    options.dir = std::filesystem::path(data_dir) / "index";
    MARKAZ_ASSIGN_OR_RETURN(opened->index, index::Index::Open(std::move(options)));
    // The index is derived data: whatever the store holds above its manifest (a crash, an
    // index deleted by hand) is re-added now, before anything new can be submitted.
    const auto start = std::chrono::steady_clock::now();
    MARKAZ_ASSIGN_OR_RETURN(pipeline::CatchUpStats caught,
                            pipeline::CatchUp(*opened->store, *opened->processor, *opened->index));
    if (caught.added > 0) {
      const double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "markaz: index caught up %zu reports (seq %lld..%lld) in %.1f s\n",
                   caught.added, static_cast<long long>(caught.from_seq + 1),
                   static_cast<long long>(caught.to_seq), secs);
    }
    MARKAZ_ASSIGN_OR_RETURN(std::size_t widenings,
                            pipeline::ReplayWidenings(*opened->store, *opened->index));
    (void)widenings;
    // Stories and analytics live in memory: rebuilt from the store on every start.
    opened->stories = std::make_unique<cluster::StoryAssigner>();
    opened->analytics = std::make_unique<analytics::Analytics>();
    const auto load_start = std::chrono::steady_clock::now();
    MARKAZ_ASSIGN_OR_RETURN(pipeline::LoadStats loaded,
                            pipeline::LoadAnalysis(*opened->store, opened->stories.get(),
                                                   opened->analytics.get()));
    if (loaded.reports > 0) {
      const double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
      std::fprintf(stderr, "markaz: stories and analytics loaded %zu reports in %.1f s\n",
                   loaded.reports, secs);
    }
  }
  opened->centre = std::make_unique<centre::Centre>(
      *opened->store, opened->clock, opened->ids, opened->processor.get(), opened->index.get(),
      opened->stories.get(), opened->analytics.get());
  // The live feeds: every command's centre publishes what it commits (cheap without
  // watchers); `serve` attaches the webhook dispatcher as well.
  opened->hub = std::make_unique<dissem::FeedHub>();
  opened->centre->AttachDissemination(opened->hub.get(), nullptr);
  return opened;
}

}  // namespace

core::Result<std::unique_ptr<OpenedCentre>> OpenExistingCentre(const std::string& data_dir,
                                                               Processing processing) {
  MARKAZ_ASSIGN_OR_RETURN(auto store, store::OpenSqliteStore(data_dir, store::OpenMode::kMustExist));
  MARKAZ_ASSIGN_OR_RETURN(bool initialised, store->IsInitialised());
  if (!initialised) {
    return core::Status::NotFound("no_centre", data_dir + " holds no initialised centre");
  }
  return Wire(std::move(store), data_dir, processing);
}

core::Result<std::unique_ptr<OpenedCentre>> CreateCentre(const std::string& data_dir,
                                                         const core::Charter& charter,
                                                         Processing processing) {
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
  auto wired = Wire(std::move(store).value(), data_dir, processing);
  if (!wired.ok()) {
    cleanup();
    return wired.status();
  }
  auto opened = std::move(wired).value();
  core::Status init = opened->centre->Init(charter);
  if (!init.ok()) {
    opened.reset();
    cleanup();
    return init;
  }
  return opened;
}

namespace {
constexpr const char* kLockFile = "markaz.lock";
}  // namespace

core::Result<CentreLock> CentreLock::Acquire(const std::string& data_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(data_dir, ec)) {
    return core::Status::NotFound("no_centre", data_dir + " holds no markaz centre (no directory)");
  }
  const std::string path = (std::filesystem::path(data_dir) / kLockFile).string();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return core::Status::Internal("cannot open " + path + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return core::Status::Conflict(
          "centre_in_use", data_dir + " is in use by another markaz process (a running `markaz "
                                      "serve` holds " + path + ")");
    }
    return core::Status::Internal("cannot lock " + path + ": " + std::strerror(err));
  }
  return CentreLock(fd);
}

CentreLock::CentreLock(CentreLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

CentreLock& CentreLock::operator=(CentreLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

CentreLock::~CentreLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

bool CentreInUse(const std::string& data_dir) {
  const std::string path = (std::filesystem::path(data_dir) / kLockFile).string();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  // Probing by taking the lock: flock has no "who holds it" query. Released at once.
  const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  return held;
}

}  // namespace markaz::cli
