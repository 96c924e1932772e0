// A Store whose commits fail after the work ran (a full disk, an fsync error) while `failing`
// is set: the work's writes are rolled back and Write() returns Unavailable "disk_full".
// Reads pass through. Header-only so that only tests that link a store use it.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace markaz::testutil {

class FailingStore : public store::Store {
 public:
  explicit FailingStore(store::Store& inner, bool failing = true) : inner_(inner), failing_(failing) {}
  void set_failing(bool failing) { failing_ = failing; }

  core::Status Write(const std::function<core::Status(store::Transaction&)>& fn) override {
    return inner_.Write([&](store::Transaction& txn) -> core::Status {
      MARKAZ_RETURN_IF_ERROR(fn(txn));
      if (failing_) return core::Status::Unavailable("disk_full", "simulated commit failure");
      return core::Status::Ok();
    });
  }
  core::Result<bool> IsInitialised() override { return inner_.IsInitialised(); }
  core::Result<core::Charter> LoadCharter() override { return inner_.LoadCharter(); }
  core::Result<std::vector<store::OrgRow>> ListOrgs() override { return inner_.ListOrgs(); }
  core::Result<std::optional<store::TokenRow>> FindToken(const std::string& id) override {
    return inner_.FindToken(id);
  }
  core::Result<std::optional<store::AuditRow>> AuditHead() override { return inner_.AuditHead(); }
  core::Result<std::vector<store::AuditRow>> ReadAudit(std::int64_t a, int l) override {
    return inner_.ReadAudit(a, l);
  }
  core::Result<std::optional<store::ReportRow>> GetReport(const std::string& id) override {
    return inner_.GetReport(id);
  }
  core::Result<std::optional<store::ReportRow>> FindReportByExternalId(
      const std::string& o, const std::string& e) override {
    return inner_.FindReportByExternalId(o, e);
  }
  core::Result<std::vector<store::ReportRow>> ReadReports(std::int64_t a, int l) override {
    return inner_.ReadReports(a, l);
  }
  core::Result<std::vector<store::FingerprintRow>> ReadFingerprints(std::int64_t a,
                                                                   int l) override {
    return inner_.ReadFingerprints(a, l);
  }
  core::Result<std::vector<store::InboxEntry>> ReadInbox(const std::string& o, std::int64_t a,
                                                         int l) override {
    return inner_.ReadInbox(o, a, l);
  }
  core::Result<std::int64_t> InboxHead(const std::string& o) override {
    return inner_.InboxHead(o);
  }
  core::Result<std::vector<store::WideningRow>> ReadWidenings(std::int64_t a, int l) override {
    return inner_.ReadWidenings(a, l);
  }
  core::Result<std::optional<store::ReleaseRequestRow>> GetReleaseRequest(
      const std::string& id) override {
    return inner_.GetReleaseRequest(id);
  }
  core::Result<std::vector<store::ReleaseRequestRow>> ListReleaseRequests(
      const std::string& r) override {
    return inner_.ListReleaseRequests(r);
  }
  core::Result<std::vector<store::SubscriptionRow>> ListSubscriptions(
      const std::string& o) override {
    return inner_.ListSubscriptions(o);
  }
  core::Result<std::optional<store::SubscriptionRow>> GetSubscription(
      const std::string& id) override {
    return inner_.GetSubscription(id);
  }
  core::Result<std::vector<std::string>> ProductCites(const std::string& id) override {
    return inner_.ProductCites(id);
  }
  core::Result<std::vector<store::WebhookRow>> ListWebhooks(const std::string& o) override {
    return inner_.ListWebhooks(o);
  }
  core::Result<std::optional<store::WebhookRow>> GetWebhook(const std::string& id) override {
    return inner_.GetWebhook(id);
  }
  core::Status SaveWebhookProgress(const std::string& id, std::int64_t c,
                                   std::optional<core::Time> since, bool failing,
                                   const std::string& e,
                                   const std::vector<store::DeliveryRow>& d) override {
    return inner_.SaveWebhookProgress(id, c, since, failing, e, d);
  }
  core::Result<std::vector<store::DeliveryRow>> ReadDeliveries(const std::string& id,
                                                               int l) override {
    return inner_.ReadDeliveries(id, l);
  }
  core::Result<store::BackupInfo> BackupTo(const std::filesystem::path& file) override {
    return inner_.BackupTo(file);
  }

 private:
  store::Store& inner_;
  std::atomic<bool> failing_;
};

}  // namespace markaz::testutil
