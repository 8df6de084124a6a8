// E502/E504/E512: a firewall names a backend this build lacks. Sema accepts
// only the six backend names and all six are built (and emit kill switches
// and quarantines), so these guard a build without one; exercised on a
// doctored model.
#include "deploy/Quarantine.hpp"
#include "driver/Session.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace netsep;

TEST_CASE("driver: E502 and E504 name a backend this build lacks") {
    const fs::path dir = fs::temp_directory_path() / "netsep-reference-test";
    fs::create_directories(dir);
    const fs::path file = dir / "p.nsp";
    {
        std::ofstream out(file);
        out << "zone internet { kind internet level open networks 0.0.0.0/0, 10.0.0.0/8 }\n"
               "zone a { kind internal level sensitive networks 10.99.1.0/24 }\n"
               "group g in a { 10.99.1.16/28 }\n"
               "saas s { provider \"p\" fqdn api.example.com networks 203.0.113.0/24 "
               "screening \"r\" on 2026-09-01 }\n"
               "exception x { from g to s service tcp/443 purpose security-saas "
               "basis saas-general expires 2027-01-31 approved-by \"ciso:k\" "
               "kill-switch ks log }\n"
               "firewall fw { backend nftables interface e0 zone internet interface e1 zone a }\n";
    }
    const auto asOf = *model::Date::parse("2026-12-01");
    {
        driver::Session s;
        std::string io;
        REQUIRE(s.load(file.string(), io) == LoadStatus::Ok);
        s.policy.firewalls[0].backends = {"ghost"};
        s.compile({asOf, {}, {}, {}});
        std::ostringstream d;
        s.diags.print(d);
        CHECK(d.str().find("error[E502]: backend 'ghost' of firewall 'fw' is not implemented") !=
              std::string::npos);
    }
    {
        driver::Session s;
        std::string io;
        REQUIRE(s.load(file.string(), io) == LoadStatus::Ok);
        s.policy.firewalls[0].backends = {"ghost"};
        s.killSwitch("ks", {asOf, {}, {}, {}});
        std::ostringstream d;
        s.diags.print(d);
        CHECK(d.str().find("error[E504]: backend 'ghost' of firewall 'fw' cannot emit a kill "
                           "switch") != std::string::npos);
    }
    {
        driver::Session s;
        std::string io;
        REQUIRE(s.load(file.string(), io) == LoadStatus::Ok);
        s.policy.firewalls[0].backends = {"ghost"};
        auto out = deploy::quarantine(s, {{"a"}, {}, true}, {asOf, {}, {}, {}}, "");
        std::ostringstream d;
        s.diags.print(d);
        CHECK(d.str().find("error[E512]: backend 'ghost' of firewall 'fw' cannot emit a "
                           "quarantine") != std::string::npos);
        CHECK(out.files.count("fw/ghost-quarantine.nft") == 0);
    }
    fs::remove_all(dir);
}
