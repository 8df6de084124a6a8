#pragma once
// A canonical text dump of an AST (every field, every span), used to prove
// that the fast statement reader and the ANTLR tree path build the same AST
// (tests/unit/fastlexer_test.cpp, tests/fuzz/fuzz_parse_diff.cpp).
#include "ast/Program.hpp"

#include <ostream>
#include <sstream>
#include <string>

namespace netsep::test {

namespace ast = netsep::ast;

inline void dumpWord(std::ostream& o, const ast::Word& w) {
    o << "'" << w.text << "'@" << w.span.file << ":" << w.span.line << ":" << w.span.col << "+"
      << w.span.length << " ";
}
inline void dumpWords(std::ostream& o, const ast::WordList& ws) {
    o << "[";
    for (const auto& w : ws)
        dumpWord(o, w);
    o << "] ";
}
template <typename T> void dumpOpt(std::ostream& o, const std::optional<T>& v) {
    if (!v) {
        o << "- ";
        return;
    }
    if constexpr (std::is_same_v<T, ast::Word>)
        dumpWord(o, *v);
    else
        dumpWords(o, *v);
}
inline void dumpSpan(std::ostream& o, const netsep::SourceSpan& s) {
    o << "@" << s.line << ":" << s.col << "+" << s.length << " ";
}

// Every field of every statement, spans included.
inline std::string dump(const ast::Program& p) {
    std::ostringstream o;
    for (const auto& d : p.policies) {
        o << "policy ";
        dumpWord(o, d.name);
        dumpOpt(o, d.owner);
        dumpSpan(o, d.span);
        o << "\n";
    }
    for (const auto& d : p.services) {
        o << "service ";
        dumpWord(o, d.name);
        dumpWords(o, d.ports);
        o << d.noPivot << d.tls;
        dumpSpan(o, d.span);
        o << "\n";
    }
    for (const auto& d : p.zones) {
        o << "zone ";
        dumpWord(o, d.name);
        dumpOpt(o, d.parent);
        dumpOpt(o, d.kind);
        dumpOpt(o, d.level);
        dumpWords(o, d.networks);
        o << d.crownJewel << d.isolated;
        dumpSpan(o, d.span);
        o << "\n";
    }
    for (const auto& d : p.groups) {
        o << "group ";
        dumpWord(o, d.name);
        dumpWord(o, d.zone);
        dumpWords(o, d.addresses);
        dumpSpan(o, d.span);
        o << "\n";
    }
    for (const auto& d : p.identities) {
        o << "identity ";
        dumpWord(o, d.name);
        dumpOpt(o, d.idp);
        dumpOpt(o, d.group);
        dumpOpt(o, d.device);
        dumpOpt(o, d.mfa);
        dumpSpan(o, d.span);
        o << "\n";
    }
    for (const auto& d : p.saas) {
        o << "saas ";
        dumpWord(o, d.name);
        dumpOpt(o, d.provider);
        dumpWords(o, d.fqdns);
        dumpWords(o, d.networks);
        dumpOpt(o, d.screeningRef);
        dumpOpt(o, d.screeningDate);
        dumpOpt(o, d.behind);
        dumpSpan(o, d.span);
        o << "\n";
    }
    for (const auto& d : p.rules) {
        o << "rule " << int(d.kind) << " ";
        dumpWord(o, d.name);
        dumpOpt(o, d.from);
        dumpOpt(o, d.as);
        dumpOpt(o, d.to);
        dumpOpt(o, d.services);
        o << d.log << " ";
        dumpOpt(o, d.justification);
        dumpOpt(o, d.owner);
        dumpOpt(o, d.purpose);
        if (d.basis) {
            o << "basis " << int(d.basis->kind) << " ";
            dumpOpt(o, d.basis->id);
            dumpOpt(o, d.basis->issued);
            dumpSpan(o, d.basis->span);
        }
        dumpOpt(o, d.expires);
        dumpOpt(o, d.approvedBy);
        dumpOpt(o, d.killSwitch);
        dumpSpan(o, d.span);
        o << "\n";
    }
    for (const auto& d : p.firewalls) {
        o << "firewall ";
        dumpWord(o, d.name);
        dumpWords(o, d.backends);
        for (const auto& i : d.interfaces) {
            dumpWord(o, i.name);
            dumpWord(o, i.zone);
            for (const auto& a : i.aliases) {
                o << "on ";
                dumpWord(o, a.backend);
                dumpWord(o, a.name);
            }
        }
        dumpOpt(o, d.identityEnforcedBy);
        dumpOpt(o, d.forwardPolicy);
        dumpSpan(o, d.span);
        o << "\n";
    }
    for (const auto& d : p.expects) {
        o << "expect " << int(d.kind) << " ";
        dumpWord(o, d.from);
        dumpWord(o, d.to);
        dumpOpt(o, d.services);
        dumpSpan(o, d.span);
        o << "\n";
    }
    for (const auto& d : p.waivers) {
        o << "waive ";
        dumpWord(o, d.from);
        dumpWord(o, d.to);
        dumpOpt(o, d.services);
        dumpWord(o, d.until);
        dumpWord(o, d.because);
        dumpWord(o, d.ticket);
        dumpOpt(o, d.owner);
        dumpSpan(o, d.span);
        o << "\n";
    }
    for (const auto& d : p.letters) {
        o << "letter ";
        dumpWord(o, d.id);
        o << (d.kind ? int(*d.kind) : -1) << " ";
        dumpSpan(o, d.kindSpan);
        dumpOpt(o, d.firm);
        dumpOpt(o, d.issued);
        dumpOpt(o, d.expires);
        if (d.scope) {
            o << "scope ";
            dumpOpt(o, d.scope->purposes);
            dumpOpt(o, d.scope->from);
            dumpOpt(o, d.scope->to);
            dumpOpt(o, d.scope->providers);
            dumpOpt(o, d.scope->services);
            dumpSpan(o, d.scope->span);
        }
        dumpOpt(o, d.documentAlgorithm);
        dumpOpt(o, d.documentDigest);
        dumpSpan(o, d.span);
        o << "\n";
    }
    for (const auto& d : p.killSwitches) {
        o << "kill-switch ";
        dumpWord(o, d.group);
        dumpWord(o, d.since);
        dumpWord(o, d.by);
        dumpWord(o, d.ticket);
        dumpOpt(o, d.reason);
        dumpSpan(o, d.span);
        o << "\n";
    }
    return o.str();
}

} // namespace netsep::test
