// netsep command line: argument parsing and output only; the pipeline lives
// in compiler/driver.
#include "driver/Session.hpp"
#include "format/Formatter.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

namespace {

using netsep::driver::Session;
using netsep::model::Date;

enum Exit { kClean = 0, kPolicyErrors = 1, kUsage = 2, kInternal = 3 };

struct Common {
    std::string policy;
    std::string asOf;
    bool strict = false;
};

int usage(const std::string& msg) {
    std::cerr << "netsep: error: " << msg << "\n";
    return kUsage;
}

// Loads and checks the policy; prints diagnostics. Returns an exit code, or
// -1 when the policy is clean enough to go on.
int frontEnd(Session& s, const Common& c, Date& asOf) {
    if (c.asOf.empty()) {
        asOf = Date::today();
    } else if (auto d = Date::parse(c.asOf)) {
        asOf = *d;
    } else {
        return usage("--as-of '" + c.asOf + "' is not a date (YYYY-MM-DD)");
    }
    s.diags.setWarningsAsErrors(c.strict);
    std::string ioError;
    auto st = s.load(c.policy, ioError);
    if (st == netsep::LoadStatus::IoError) {
        std::cerr << "netsep: error: " << ioError << "\n";
        return kUsage;
    }
    if (st == netsep::LoadStatus::Ok)
        s.check(asOf);
    if (s.diags.hasErrors()) {
        s.diags.print(std::cerr);
        return kPolicyErrors;
    }
    return -1;
}

void addCommon(CLI::App* cmd, Common& c) {
    cmd->add_option("policy", c.policy, "policy file (.nsp)")->required();
    cmd->add_option("--as-of", c.asOf, "judge validity on this date (YYYY-MM-DD; default today)");
    cmd->add_flag("--strict", c.strict, "treat warnings as errors");
}

int runCheck(const Common& c) {
    Session s;
    Date asOf;
    if (int rc = frontEnd(s, c, asOf); rc >= 0)
        return rc;
    s.diags.print(std::cerr); // warnings and notes
    std::cerr << "netsep: " << c.policy << ": ok (" << s.policy.zones.size() << " zones, "
              << s.policy.rules.size() << " rules, " << s.policy.firewalls.size()
              << " firewalls)\n";
    return kClean;
}

int runCompile(const Common& c, const std::string& out, const std::vector<std::string>& backends,
               const std::vector<std::string>& firewalls) {
    Session s;
    Date asOf;
    if (int rc = frontEnd(s, c, asOf); rc >= 0)
        return rc;
    for (const auto& f : firewalls)
        if (std::none_of(s.policy.firewalls.begin(), s.policy.firewalls.end(),
                         [&](const auto& fw) { return fw.name == f; }))
            return usage("--firewall '" + f + "' is not declared in the policy");
    auto files = s.compile({asOf, backends, firewalls});
    s.diags.print(std::cerr);
    if (s.diags.hasErrors())
        return kPolicyErrors;
    if (files.empty())
        std::cerr << "netsep: warning: nothing to emit (no firewall has both zones of a rule)\n";
    if (std::string err = netsep::driver::writeOutputDirectory(out, files); !err.empty())
        return usage(err);
    std::cerr << "netsep: wrote " << files.size() << " file(s) to " << out << "\n";
    return kClean;
}

int runFmt(const std::string& path, bool checkOnly) {
    Session s;
    std::string ioError;
    // Only this file's syntax matters for layout; includes are formatted on their own.
    std::string text;
    {
        std::ifstream in(path, std::ios::binary);
        if (!in)
            return usage(path + ": cannot open file");
        std::ostringstream ss;
        ss << in.rdbuf();
        text = ss.str();
    }
    uint32_t id = s.sources.add(path, path, text);
    netsep::parseSource(id, s.sources, s.diags, s.program, [](const netsep::ast::Word&) {});
    if (s.diags.hasErrors()) {
        s.diags.print(std::cerr);
        return kPolicyErrors;
    }
    std::string formatted = netsep::format::formatSource(text);
    if (formatted == text)
        return kClean;
    if (checkOnly) {
        std::cerr << "netsep: " << path << " is not formatted (run 'netsep fmt " << path << "')\n";
        return kPolicyErrors;
    }
    if (std::string err = netsep::driver::writeFileAtomically(path, formatted); !err.empty())
        return usage(err);
    std::cerr << "netsep: formatted " << path << "\n";
    return kClean;
}

} // namespace

int main(int argc, char** argv) {
    try {
        CLI::App app{"netsep: network-segmentation and zero-trust policy compiler"};
        app.require_subcommand(1);
        app.set_version_flag("--version", "netsep 0.1.0");

        Common checkOpts;
        auto* check = app.add_subcommand("check", "parse, check and analyse a policy");
        addCommon(check, checkOpts);

        Common compileOpts;
        std::string outDir;
        std::vector<std::string> backends, firewalls;
        auto* compile = app.add_subcommand("compile", "check a policy and emit firewall configs");
        addCommon(compile, compileOpts);
        compile->add_option("-o,--output", outDir, "output directory (replaced atomically)")
            ->required();
        compile->add_option("--backend", backends, "only this backend (repeatable)")
            ->check(CLI::IsMember(
                {"iptables", "nftables", "cisco-asa", "juniper-srx", "paloalto", "fortios"}));
        compile->add_option("--firewall", firewalls, "only this firewall (repeatable)");

        std::string fmtPath;
        bool fmtCheck = false;
        auto* fmt = app.add_subcommand("fmt", "rewrite a policy file in canonical layout");
        fmt->add_option("policy", fmtPath, "policy file (.nsp)")->required();
        fmt->add_flag("--check", fmtCheck,
                      "only report whether the file is formatted (exit 1 if not)");

        try {
            app.parse(argc, argv);
        } catch (const CLI::ParseError& e) {
            int rc = app.exit(e);
            return rc == 0 ? kClean : kUsage;
        }
        if (check->parsed())
            return runCheck(checkOpts);
        if (compile->parsed())
            return runCompile(compileOpts, outDir, backends, firewalls);
        if (fmt->parsed())
            return runFmt(fmtPath, fmtCheck);
        return kUsage;
    } catch (const std::exception& e) {
        std::cerr << "netsep: internal error: " << e.what() << "\n";
        return kInternal;
    } catch (...) {
        std::cerr << "netsep: internal error\n";
        return kInternal;
    }
}
