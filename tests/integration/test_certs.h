// A throw-away PKI for TLS tests, made with the `openssl` command as an operator would: a CA,
// a server certificate for 127.0.0.1/localhost, and client certificates with a given CN.
// EC P-256 keys: fast to make (a few ms each).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "testutil/run_command.h"
#include "testutil/temp_dir.h"

namespace markaz::testutil {

struct CertFiles {
  std::string cert, key;
};

class TestPki {
 public:
  // Makes "<name>" (the CA) in `dir`; fails the test if openssl fails.
  TestPki(const TempDir& dir, const std::string& name) : dir_(dir) {
    ca_ = Make(name + "-ca", "/CN=" + name + " test CA", {}, /*signed_by_ca=*/false);
  }

  const std::string& ca_file() const { return ca_.cert; }
  const CertFiles& ca() const { return ca_; }

  // A server certificate for 127.0.0.1 and localhost, signed by the CA.
  CertFiles Server(const std::string& name) {
    return Make(name, "/CN=localhost",
                {"-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-addext",
                 "extendedKeyUsage=serverAuth"},
                true);
  }

  // A client certificate whose subject CN is `cn`, signed by the CA.
  CertFiles Client(const std::string& name, const std::string& cn) {
    return Make(name, "/CN=" + cn, {"-addext", "extendedKeyUsage=clientAuth"}, true);
  }

 private:
  CertFiles Make(const std::string& name, const std::string& subject,
                 const std::vector<std::string>& extra, bool signed_by_ca) {
    CertFiles f{dir_.Sub(name + ".crt"), dir_.Sub(name + ".key")};
    std::vector<std::string> argv = {"/usr/bin/openssl",
                                     "req",
                                     "-x509",
                                     "-newkey",
                                     "ec",
                                     "-pkeyopt",
                                     "ec_paramgen_curve:P-256",
                                     "-nodes",
                                     "-keyout",
                                     f.key,
                                     "-out",
                                     f.cert,
                                     "-days",
                                     "2",
                                     "-subj",
                                     subject};
    if (signed_by_ca) {
      argv.insert(argv.end(), {"-CA", ca_.cert, "-CAkey", ca_.key, "-addext",
                               "basicConstraints=critical,CA:FALSE"});
    }
    argv.insert(argv.end(), extra.begin(), extra.end());
    CommandResult r = RunCommand(argv);
    EXPECT_EQ(r.exit_code, 0) << "openssl: " << r.err;
    return f;
  }

  const TempDir& dir_;
  CertFiles ca_;
};

}  // namespace markaz::testutil
