#include "parse/SyntaxErrorListener.hpp"

#include "NetsepParser.h"

#include <Parser.h>
#include <Token.h>
#include <Vocabulary.h>

namespace netsep {

namespace {

constexpr size_t kMaxSyntaxErrors = 20;

std::string describeExpected(antlr4::Parser* parser) {
    antlr4::misc::IntervalSet expected;
    try {
        expected = parser->getExpectedTokens();
    } catch (...) {
        return {};
    }
    std::vector<std::string> words;
    bool statementStart = expected.contains(size_t(NetsepParser::ZONE)) &&
                          expected.contains(size_t(NetsepParser::ACCESS)) &&
                          expected.contains(size_t(NetsepParser::FIREWALL));
    if (statementStart)
        words.push_back("a statement (policy, include, service, zone, group, identity, saas, "
                        "access, deny, exception, firewall, expect, waive, kill-switch)");
    for (size_t t : expected.toList()) {
        if (statementStart &&
            ((t >= NetsepParser::POLICY && t <= NetsepParser::WAIVE && t != NetsepParser::HOP) ||
             t == NetsepParser::KILL_SWITCH))
            continue;
        switch (t) {
        case NetsepParser::WORD:
            words.push_back("a name or value");
            break;
        case NetsepParser::STRING:
            words.push_back("a quoted string");
            break;
        case antlr4::Token::EOF:
            words.push_back("end of file");
            break;
        default: {
            std::string lit = parser->getVocabulary().getLiteralName(t);
            if (!lit.empty())
                words.push_back(lit);
        }
        }
    }
    if (words.empty())
        return {};
    std::string out = "expected ";
    for (size_t i = 0; i < words.size(); ++i) {
        if (i > 0)
            out += i + 1 == words.size() ? " or " : ", ";
        out += words[i];
    }
    return out;
}

std::string describeFound(antlr4::Token* tok) {
    if (!tok || tok->getType() == antlr4::Token::EOF)
        return "end of file";
    std::string text = tok->getText();
    std::string shown;
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            char buf[8];
            snprintf(buf, sizeof buf, "\\x%02x", u);
            shown += buf;
        } else {
            shown.push_back(c);
        }
    }
    if (shown.size() > 40)
        shown = shown.substr(0, 40) + "...";
    return "'" + shown + "'";
}

} // namespace

void SyntaxErrorListener::syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* tok,
                                      size_t line, size_t charPositionInLine, const std::string&,
                                      std::exception_ptr) {
    if (!lines_.insert(line).second || count_ >= kMaxSyntaxErrors)
        return;
    ++count_;
    SourceSpan span{file_, static_cast<uint32_t>(line),
                    static_cast<uint32_t>(charPositionInLine + 1), 1};
    if (tok && tok->getType() != antlr4::Token::EOF && tok->getStopIndex() >= tok->getStartIndex())
        span.length = static_cast<uint32_t>(tok->getStopIndex() - tok->getStartIndex() + 1);

    std::string message;
    if (tok && tok->getType() == NetsepParser::UNTERMINATED_STRING) {
        message = "unterminated string: a string must close with '\"' on the same line";
    } else if (tok && tok->getType() == NetsepParser::OTHER) {
        message = "unexpected character " + describeFound(tok);
    } else {
        auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
        std::string expected = parser ? describeExpected(parser) : std::string();
        message = expected.empty() ? "unexpected " + describeFound(tok)
                                   : expected + ", found " + describeFound(tok);
        if (tok && tok->getType() >= NetsepParser::POLICY && tok->getType() <= NetsepParser::ANY &&
            expected.find("a name") != std::string::npos)
            message += " (a keyword cannot be used as a name)";
    }
    diags_.error("E101", span, message);
}

} // namespace netsep
