#include "format/Formatter.hpp"

#include "NetsepLexer.h"

#include <CommonTokenStream.h>

#include <set>

namespace netsep::format {

namespace {

bool startsStatement(size_t type) {
    static const std::set<size_t> kinds = {
        NetsepLexer::POLICY, NetsepLexer::INCLUDE,   NetsepLexer::SERVICE,    NetsepLexer::ZONE,
        NetsepLexer::GROUP,  NetsepLexer::IDENTITY,  NetsepLexer::SAAS,       NetsepLexer::ACCESS,
        NetsepLexer::DENY,   NetsepLexer::EXCEPTION, NetsepLexer::FIREWALL,   NetsepLexer::EXPECT,
        NetsepLexer::WAIVE,  NetsepLexer::LETTER,    NetsepLexer::KILL_SWITCH};
    return kinds.count(type) > 0;
}

bool startsField(size_t type) {
    static const std::set<size_t> fields = {NetsepLexer::KIND,
                                            NetsepLexer::LEVEL,
                                            NetsepLexer::NETWORKS,
                                            NetsepLexer::CROWN_JEWEL,
                                            NetsepLexer::ISOLATED,
                                            NetsepLexer::OWNER,
                                            NetsepLexer::IDP,
                                            NetsepLexer::GROUP,
                                            NetsepLexer::DEVICE,
                                            NetsepLexer::MFA,
                                            NetsepLexer::PROVIDER,
                                            NetsepLexer::FQDN,
                                            NetsepLexer::SCREENING,
                                            NetsepLexer::BEHIND,
                                            NetsepLexer::FROM,
                                            NetsepLexer::TO,
                                            NetsepLexer::SERVICE,
                                            NetsepLexer::LOG,
                                            NetsepLexer::JUSTIFICATION,
                                            NetsepLexer::PURPOSE,
                                            NetsepLexer::BASIS,
                                            NetsepLexer::EXPIRES,
                                            NetsepLexer::APPROVED_BY,
                                            NetsepLexer::KILL_SWITCH,
                                            NetsepLexer::BACKEND,
                                            NetsepLexer::INTERFACE,
                                            NetsepLexer::IDENTITY_ENFORCED_BY,
                                            NetsepLexer::FORWARD_POLICY,
                                            NetsepLexer::FIRM,
                                            NetsepLexer::ISSUED,
                                            NetsepLexer::SCOPE,
                                            NetsepLexer::DOCUMENT,
                                            NetsepLexer::QUARANTINE_ACCESS};
    return fields.count(type) > 0;
}

} // namespace

std::string formatSource(const std::string& text) {
    antlr4::ANTLRInputStream input(text);
    NetsepLexer lexer(&input);
    lexer.removeErrorListeners();
    antlr4::CommonTokenStream stream(&lexer);
    stream.fill();

    std::string out;
    int depth = 0;
    size_t lastLine = 0;
    bool lineOpen = false;
    for (antlr4::Token* tok : stream.getTokens()) {
        size_t type = tok->getType();
        if (type == antlr4::Token::EOF || type == NetsepLexer::WS)
            continue;
        size_t line = tok->getLine();
        if (!lineOpen || line != lastLine) {
            if (lineOpen)
                out += "\n";
            if (lineOpen && line > lastLine + 1)
                out += "\n";
            int level = type == NetsepLexer::RBRACE ? depth - 1 : depth;
            if (level < 0)
                level = 0;
            size_t indent = size_t(level) * 2;
            bool continuation = type != NetsepLexer::COMMENT && type != NetsepLexer::RBRACE &&
                                (level == 0 ? !startsStatement(type) : !startsField(type));
            if (continuation && lineOpen)
                indent += level == 0 ? 4 : 2;
            out.append(indent, ' ');
        } else if (type == NetsepLexer::COMMENT) {
            out += "  ";
        } else if (type != NetsepLexer::COMMA) {
            out += " ";
        }
        std::string t = tok->getText();
        if (type == NetsepLexer::COMMENT) {
            while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r'))
                t.pop_back();
        }
        out += t;
        if (type == NetsepLexer::LBRACE)
            ++depth;
        else if (type == NetsepLexer::RBRACE && depth > 0)
            --depth;
        lastLine = line;
        lineOpen = true;
    }
    if (lineOpen)
        out += "\n";
    return out;
}

} // namespace netsep::format
