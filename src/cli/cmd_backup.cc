// markaz backup --data DIR --to FILE [--force]
// markaz restore --from FILE --data DIR
//
// A backup is one file: a consistent online copy of the store of record (DIR/markaz.db), taken
// while `markaz serve` runs and ingests (Store::BackupTo). The search index (DIR/index) and the
// in-memory stories and analytics are derived data: not copied, rebuilt from the store the
// first time the restored centre is served (open_centre.h). Restore puts the copy back as the
// database of a new directory, after checking it, and verifies its audit chain.
#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

#include "audit/verify.h"
#include "cli/commands.h"
#include "cli/open_centre.h"
#include "store/sqlite/sqlite_store.h"

namespace markaz::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kDbFile = "markaz.db";  // the store's file in a data directory
constexpr const char* kDerivedNote =
    "the search index is not in the backup: the restored centre rebuilds it from the store "
    "when first served";

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// fsync of a file or a directory (a rename is durable once its directory is synced).
core::Status Sync(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const std::string why = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return core::Status::Internal("cannot fsync " + path.string() + ": " + why);
  }
  ::close(fd);
  return core::Status::Ok();
}

fs::path ParentOf(const fs::path& file) {
  const fs::path parent = file.parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

std::string AuditHeadText(const store::BackupInfo& info) {
  if (!info.audit_head) return "audit chain empty";
  return "audit head seq " + std::to_string(info.audit_head->seq) + " hash " +
         info.audit_head->hash;
}

// Refuses targets that would damage a centre: the source's own database, or a file in the
// data directory of a running server (with --force it would replace that server's files).
core::Status CheckBackupTarget(const std::string& data_dir, const fs::path& to, bool force) {
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(to, ec);
  if (st.type() == fs::file_type::directory) {
    return core::Status::InvalidArgument("backup_target_is_directory",
                                         to.string() + " is a directory; name a file");
  }
  if (fs::exists(to, ec) && fs::equivalent(to, fs::path(data_dir) / kDbFile, ec)) {
    return core::Status::InvalidArgument("backup_target_is_source",
                                         to.string() + " is the database being backed up");
  }
  if (CentreInUse(ParentOf(to).string())) {
    return core::Status::Conflict(
        "centre_in_use", ParentOf(to).string() +
                             " is the data directory of a running markaz server; refusing to "
                             "write a backup there");
  }
  if (st.type() != fs::file_type::not_found && !force) {
    return core::Status::Conflict("backup_exists",
                                  to.string() + " already exists; pass --force to replace it");
  }
  return core::Status::Ok();
}

// A backup yields to the server it runs beside: nice 10 for the CPU and the lowest
// best-effort I/O priority. On an idle machine it runs as fast as ever; under ingest the
// server's commits go first (bench/README.md, "Backup (issue 11)").
void LowerPriority() {
  ::setpriority(PRIO_PROCESS, 0, 10);
  constexpr int kIoprioWhoProcess = 1, kIoprioClassBestEffort = 2, kIoprioClassShift = 13;
  ::syscall(SYS_ioprio_set, kIoprioWhoProcess, 0,
            (kIoprioClassBestEffort << kIoprioClassShift) | 7);
}

int RunBackup(const std::string& data_dir, const fs::path& to, bool force) {
  core::Status target = CheckBackupTarget(data_dir, to, force);
  if (!target.ok()) return Fail(target);
  LowerPriority();
  auto opened = OpenExistingCentre(data_dir);
  if (!opened.ok()) return Fail(opened.status());

  // Written beside FILE and renamed over it only when complete and fsynced: FILE is either
  // the old file or the whole new copy, never half of one.
  const fs::path tmp = fs::path(to.string() + ".tmp");
  std::error_code ec;
  fs::remove(tmp, ec);  // a leftover of a backup that was interrupted
  const auto start = Clock::now();
  core::Result<store::BackupInfo> info = (*opened)->store->BackupTo(tmp);
  if (!info.ok()) return Fail(info.status());
  fs::rename(tmp, to, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Fail(core::Status::Internal("cannot rename the backup to " + to.string() + ": " +
                                       ec.message()));
  }
  core::Status synced = Sync(ParentOf(to), /*directory=*/true);
  if (!synced.ok()) return Fail(synced);
  const double secs = SecondsSince(start);
  const double mb = static_cast<double>(info->bytes) / 1e6;
  std::fprintf(stderr,
               "markaz: backup of %s to %s: %lld reports, %s, %llu bytes in %.2f s (%.1f MB/s); "
               "%s\n",
               data_dir.c_str(), to.c_str(), static_cast<long long>(info->reports),
               AuditHeadText(*info).c_str(), static_cast<unsigned long long>(info->bytes), secs,
               secs > 0 ? mb / secs : 0.0, kDerivedNote);
  return kExitOk;
}

// DIR must be absent or empty: a restored store beside someone's old index (or anything
// else) could disagree with it, and a live centre must never be overwritten.
core::Status CheckRestoreTarget(const std::string& data_dir) {
  std::error_code ec;
  if (!fs::exists(data_dir, ec)) return core::Status::Ok();
  if (!fs::is_directory(data_dir, ec)) {
    return core::Status::InvalidArgument("data_dir_not_directory",
                                         data_dir + " exists and is not a directory");
  }
  if (CentreInUse(data_dir)) {
    return core::Status::Conflict("centre_in_use",
                                  data_dir + " is in use by a running markaz server; refusing "
                                             "to restore over a live centre");
  }
  if (fs::exists(fs::path(data_dir) / kDbFile, ec)) {
    return core::Status::Conflict("already_initialised",
                                  data_dir + " already holds a centre; refusing to overwrite "
                                             "it (restore into a new or empty directory)");
  }
  for (const auto& entry : fs::directory_iterator(data_dir, ec)) {
    if (entry.path().filename() != "markaz.lock") {
      return core::Status::Conflict("data_dir_not_empty",
                                    data_dir + " is not empty (it holds " +
                                        entry.path().filename().string() +
                                        "); restore into a new or empty directory");
    }
  }
  if (ec) return core::Status::Internal("cannot list " + data_dir + ": " + ec.message());
  return core::Status::Ok();
}

// Copies `from` to `to` (a new file, mode 0600: the database holds token hashes) and fsyncs it.
core::Status CopyFile(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::copy_file(from, to, fs::copy_options::none, ec);
  if (ec) {
    return core::Status::Internal("cannot copy " + from.string() + " to " + to.string() + ": " +
                                  ec.message());
  }
  fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write, ec);
  return Sync(to, /*directory=*/false);
}

void RemoveDatabaseFiles(const fs::path& db) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(db.string() + suffix, ec);
}

int RunRestore(const fs::path& from, const std::string& data_dir) {
  std::error_code ec;
  if (!fs::is_regular_file(from, ec)) {
    return Fail(core::Status::NotFound("no_backup", from.string() + " is not a backup file"));
  }
  core::Status target = CheckRestoreTarget(data_dir);
  if (!target.ok()) return Fail(target);
  const bool created = !fs::exists(data_dir, ec);
  if (created) {
    fs::create_directories(ParentOf(data_dir), ec);
    if (::mkdir(data_dir.c_str(), 0700) != 0 && errno != EEXIST) {
      return Fail(core::Status::Internal("cannot create " + data_dir + ": " +
                                         std::strerror(errno)));
    }
  }
  const auto start = Clock::now();
  const fs::path db = fs::path(data_dir) / kDbFile;
  const fs::path tmp = fs::path(db.string() + ".restoring");
  // From here a server cannot start on DIR, and another restore cannot race this one.
  core::Result<CentreLock> lock = CentreLock::Acquire(data_dir);
  auto give_up = [&](const core::Status& status) {
    RemoveDatabaseFiles(tmp);
    if (created) fs::remove_all(data_dir, ec);
    return Fail(status);
  };
  if (!lock.ok()) return give_up(lock.status());
  // Checked again under the lock: the first check could have raced another restore.
  if (fs::exists(db, ec)) {
    return Fail(core::Status::Conflict("already_initialised", data_dir + " already holds a centre"));
  }

  // Copy first, then check the copy: what is checked is what will be used.
  core::Status copied = CopyFile(from, tmp);
  if (!copied.ok()) return give_up(copied);
  core::Result<store::BackupInfo> info = store::CheckSqliteDatabase(tmp.string());
  if (!info.ok()) {
    // The message names the file the user gave, not the copy it was made on.
    std::string why = info.status().message();
    if (why.rfind(tmp.string(), 0) == 0) why = from.string() + why.substr(tmp.string().size());
    return give_up(core::Status::InvalidArgument(info.status().reason(),
                                                 "refusing to restore " + from.string() + ": " +
                                                     why));
  }
  fs::remove(tmp.string() + "-wal", ec);
  fs::remove(tmp.string() + "-shm", ec);
  fs::rename(tmp, db, ec);
  if (ec) return give_up(core::Status::Internal("cannot rename " + tmp.string() + ": " + ec.message()));
  core::Status synced = Sync(data_dir, /*directory=*/true);
  if (!synced.ok()) return Fail(synced);

  // The same check as `markaz audit verify`: the restored chain must hold from seq 1.
  auto opened = OpenExistingCentre(data_dir);
  if (!opened.ok()) return Fail(opened.status());
  auto verified = audit::Verify(*(*opened)->store);
  if (!verified.ok()) return Fail(verified.status());
  if (!verified->ok()) {
    std::fprintf(stderr,
                 "markaz: restored %s into %s, but its audit chain is broken at seq %lld: %s\n",
                 from.c_str(), data_dir.c_str(), static_cast<long long>(*verified->broken_seq),
                 verified->problem.c_str());
    return kExitFailure;
  }
  std::fprintf(stderr,
               "markaz: restored %s into %s: %lld reports, audit chain ok (%lld entries, %s), "
               "%llu bytes in %.2f s; %s\n",
               from.c_str(), data_dir.c_str(), static_cast<long long>(info->reports),
               static_cast<long long>(verified->entries), AuditHeadText(*info).c_str(),
               static_cast<unsigned long long>(info->bytes), SecondsSince(start), kDerivedNote);
  return kExitOk;
}

}  // namespace

void AddBackupCommands(CLI::App& app, int& exit_code) {
  struct Args {
    std::string data, to, from;
    bool force = false;
  };
  auto args = std::make_shared<Args>();
  auto* backup = app.add_subcommand(
      "backup",
      "Write a consistent copy of a centre's store of record to FILE, online (the server may "
      "run and ingest meanwhile). The search index is not copied: it is rebuilt on restore");
  backup->add_option("--data", args->data, "Data directory of the centre")->required();
  backup->add_option("--to", args->to, "Backup file to write")->required();
  backup->add_flag("--force", args->force, "Replace FILE if it exists");
  backup->callback([&exit_code, args] { exit_code = RunBackup(args->data, args->to, args->force); });

  auto* restore = app.add_subcommand(
      "restore",
      "Restore a backup into a new (or empty) data directory, check it and verify its audit "
      "chain; refuses a directory that holds a centre or that a running server uses");
  restore->add_option("--from", args->from, "Backup file written by `markaz backup`")->required();
  restore->add_option("--data", args->data, "New data directory")->required();
  restore->callback([&exit_code, args] { exit_code = RunRestore(args->from, args->data); });
}

}  // namespace markaz::cli
