// The hand-written lexer (parse/FastLexer) must produce exactly the tokens of
// the ANTLR-generated lexer, and parseSource exactly what the generated-lexer
// path makes of a file: same AST, same diagnostics.
#include "../support/AstDump.hpp"
#include "diag/DiagnosticEngine.hpp"
#include "parse/FastLexer.hpp"
#include "parse/PolicyLoader.hpp"

#include "NetsepLexer.h"
#include "NetsepParser.h"

#include <CommonTokenStream.h>
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace {

using netsep::DiagnosticEngine;
using netsep::SourceManager;
namespace ast = netsep::ast;

struct Tok {
    size_t type, line, col, start, stop;
    std::string text;
    bool operator==(const Tok&) const = default;
};

// One line per token, so a mismatch shows where the two lexers part.
std::string show(const std::vector<Tok>& tokens) {
    std::ostringstream o;
    for (const auto& t : tokens)
        o << t.type << " '" << t.text << "' " << t.line << ":" << t.col << " [" << t.start << ","
          << t.stop << "]\n";
    return o.str();
}

std::vector<Tok> generatedTokens(const std::string& text) {
    antlr4::ANTLRInputStream input(text);
    NetsepLexer lexer(&input);
    lexer.removeErrorListeners();
    antlr4::CommonTokenStream tokens(&lexer);
    tokens.fill();
    std::vector<Tok> out;
    for (auto* t : tokens.getTokens()) {
        if (t->getChannel() != antlr4::Token::DEFAULT_CHANNEL)
            continue;
        out.push_back({t->getType(), t->getLine(), t->getCharPositionInLine(), t->getStartIndex(),
                       t->getStopIndex(), t->getType() == antlr4::Token::EOF ? "" : t->getText()});
    }
    return out;
}

std::vector<Tok> fastTokens(const std::string& text) {
    NetsepParser parser(nullptr);
    netsep::parse::FastTokenStream tokens(text, "t.nsp", parser.getVocabulary());
    std::vector<Tok> out;
    for (;;) {
        auto* t = tokens.LT(1);
        out.push_back({t->getType(), t->getLine(), t->getCharPositionInLine(), t->getStartIndex(),
                       t->getStopIndex(), t->getType() == antlr4::Token::EOF ? "" : t->getText()});
        if (t->getType() == antlr4::Token::EOF)
            break;
        tokens.consume();
        tokens.discardConsumed();
    }
    return out;
}

// The loader's check (PolicyLoader.cpp): files that fail it never reach a lexer.
bool validUtf8(const std::string& s) {
    size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || (n == 2 && c < 0xc2) || i + n > s.size())
            return false;
        for (size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2)
                return false;
        auto c1 = n > 1 ? static_cast<unsigned char>(s[i + 1]) : 0;
        if (n == 3 && ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0)))
            return false;
        if (n == 4 && ((c == 0xf0 && c1 < 0x90) || c > 0xf4 || (c == 0xf4 && c1 >= 0x90)))
            return false;
        i += n;
    }
    return true;
}

using netsep::test::dump;

// Parses `text` both ways; includes are recorded, not followed.
std::pair<std::string, std::string> parseBothWays(const std::string& text) {
    std::string result[2];
    for (int fast = 0; fast < 2; ++fast) {
        SourceManager sources;
        DiagnosticEngine diags(sources);
        ast::Program program;
        uint32_t id = sources.add("t.nsp", "/t.nsp", text);
        std::string includes;
        auto onInclude = [&](const ast::Word& w) { includes += "include " + w.text + "\n"; };
        if (fast)
            netsep::parseSource(id, sources, diags, program, onInclude);
        else
            netsep::parseSourceWithGeneratedLexer(id, sources, diags, program, onInclude);
        std::ostringstream d;
        diags.print(d);
        result[fast] = dump(program) + includes + d.str();
    }
    return {result[0], result[1]};
}

std::vector<std::filesystem::path> shippedPolicies() {
    std::vector<std::filesystem::path> out;
    for (const char* dir : {"examples", "policies", "tests"}) {
        std::filesystem::path root = std::filesystem::path(NETSEP_SOURCE_DIR) / dir;
        if (!std::filesystem::exists(root))
            continue;
        for (const auto& e : std::filesystem::recursive_directory_iterator(root))
            if (e.is_regular_file() && e.path().extension() == ".nsp")
                out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string readFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Random text over fragments that exercise every lexer rule and its edges.
std::string randomText(std::mt19937& rng) {
    static const std::vector<std::string> kFragments = {
        "zone", "access", "deny", "no-pivot", "identity-enforced-by", "saas-general", "a", "b-c",
        "x--y", "z-", "-", "->", ">", "{", "}", ",", "\"s\"", "\"", "\\", "\\\"", "\"a\\\"b\"",
        "\"é\"", "é", "#c", "\n", "\r\n", " ", "\t", "\xEF\xBB\xBF", "10.0.0.0/8", "::/0", "*.x",
        ".", "/", ":", "*", "_", "0", "tcp/443", "é\n", "\"\\\\\"", "\x01", "\x7f", "𝄞", "log",
        "logs",
        // escapes (E106 later) and punycode
        "\"a\\nb\\t\"", "\"\\q\"", "\"\\é\"", "\\\n", "\\é", "xn--p1ai", "a---b", "--", "-->"};
    std::uniform_int_distribution<size_t> pick(0, kFragments.size() - 1);
    std::uniform_int_distribution<int> len(0, 24);
    std::string s;
    for (int i = len(rng); i > 0; --i)
        s += kFragments[pick(rng)];
    return s;
}

} // namespace

TEST_CASE("fast lexer matches the generated lexer on shipped policies") {
    auto files = shippedPolicies();
    REQUIRE(!files.empty());
    for (const auto& f : files) {
        std::string text = readFile(f);
        if (!validUtf8(text))
            continue; // the loader rejects these before lexing (E103)
        INFO(f.string());
        CHECK(show(fastTokens(text)) == show(generatedTokens(text)));
    }
}

TEST_CASE("fast lexer matches the generated lexer on random text") {
    std::mt19937 rng(20260701);
    for (int i = 0; i < 3000; ++i) {
        std::string text = randomText(rng);
        INFO(text);
        REQUIRE(show(fastTokens(text)) == show(generatedTokens(text)));
    }
}

TEST_CASE("parseSource equals the generated-lexer path on shipped policies") {
    for (const auto& f : shippedPolicies()) {
        std::string text = readFile(f);
        if (!validUtf8(text))
            continue;
        INFO(f.string());
        auto [reference, fast] = parseBothWays(text);
        CHECK(fast == reference);
    }
}

TEST_CASE("parseSource equals the generated-lexer path on random statements") {
    // Valid and broken statements mixed: a broken one anywhere makes the
    // whole file fall back, and nothing of the fast attempt may leak out.
    static const std::vector<std::string> kStatements = {
        "zone a { kind dmz level open networks 10.0.0.0/8 }\n",
        "zone a { kind dmz kind internal networks 10.0.0.0/8 }\n", // E205
        "service https tcp/443 no-pivot\n",
        "include \"other.nsp\"\n",
        "access r { from a, b as id to c service https, tcp/23 log justification \"j\" owner "
        "\"o\" }\n",
        "access r { from a from b to c service any }\n", // E205
        "deny d { from any to any service tcp/23 }\n",
        "exception x { from g to s service https purpose p basis no-action-letter \"N\" issued "
        "2026-01-01 expires 2027-01-01 approved-by \"c\" kill-switch k log }\n",
        "expect no-path a -> b\n",
        "expect allow a -> b service ssh\n",
        "waive hop a -> b service https until 2027-01-01 because \"r\" ticket \"t\"\n",
        "firewall f { backend nftables, iptables interface e0 zone a identity-enforced-by p }\n",
        "firewall h { backend nftables, juniper-srx interface e0 zone a on juniper-srx "
        "ge-0/0/0.0, paloalto ethernet1/1.10 interface e1 zone b }\n",
        "firewall i { interface e0 zone a on x }\n",          // syntax error: NAME missing
        "firewall j { interface e0 zone a on x y, }\n",       // syntax error: trailing comma
        "firewall k { interface e0 zone a on x y on z w }\n", // syntax error: second on
        "kill-switch k engaged since 2026-12-01 by \"ciso:kim\" ticket \"INC-4411\"\n",
        "kill-switch k engaged since 2026-12-01 by \"c\" ticket \"t\"\n  reason \"r\\\"x\"\n",
        "kill-switch k engaged since by \"c\" ticket \"t\"\n",           // syntax error
        "kill-switch k since 2026-12-01 by \"c\" ticket \"t\" reason\n", // syntax error
        "firewall h { backend nftables interface e0 zone a forward-policy drop "
        "forward-policy accept }\n", // E205
        "group g in a { 10.0.0.1, 10.0.0.0/24 }\n",
        "identity id { idp \"i\" group \"g\" device managed mfa required }\n",
        "saas s { provider \"p\" fqdn a.example networks 192.0.2.0/24 screening \"r\" on "
        "2026-01-01 behind a }\n",
        "policy p { owner \"o\" owner \"p\" }\n", // E205
        "policy q { }\n",
        "service dns udp/53, tcp/53 tls no-pivot tls\n",
        "zone b { networks 10.1.0.0/16, fd00::/48 crown-jewel isolated networks 10.2.0.0/16 "
        "level classified level open }\n",
        "group e in b { }\n",
        "identity i2 { idp \"a\" idp \"b\" group \"g\" group \"h\" device any device x "
        "mfa optional mfa y }\n",
        "saas t { provider \"p\" provider \"q\" fqdn a.b, c.d fqdn e.f networks 1.2.3.0/24 "
        "screening \"r\" on 2026-01-01 screening \"s\" on 2026-02-02 behind a behind b }\n",
        "exception y { from g as i to s as j service any purpose p purpose q basis sandbox \"S\" "
        "basis saas-general expires 2027-01-01 expires 2028-01-01 approved-by \"a\" approved-by "
        "\"b\" kill-switch k kill-switch l log log justification \"x\" justification \"y\" owner "
        "\"o\" owner \"p\" to t }\n",
        "exception z { basis sandbox \"S\" issued 2026-01-01 }\n",
        "exception v { from g to s basis \"NAL-1\" basis \"NAL-2\" expires 2027-01-01 }\n",
        "letter \"NAL-1\" { kind no-action-letter firm \"f\" issued 2026-01-01 expires "
        "2027-01-01 scope { purpose a, b from g, h to s provider \"p\", \"q\" service https } "
        "document sha256 ab12 }\n",
        "letter \"L\" { kind sandbox kind saas-general scope { purpose a purpose b from any "
        "from g to s to t provider \"p\" provider \"q\" service any service x } scope { } "
        "document sha256 a document md5 b firm \"x\" firm \"y\" issued d issued e }\n",
        "letter \"E\" { }\n",
        "letter \"S\" { scope { purpose } }\n", // syntax error
        "waive hop a -> b until 2027-01-01 because \"r\" ticket \"t\" owner \"o\"\n",
        "access q { to any from any service any service https as }\n", // syntax error
        "access w { }\n",
        "firewall g { backend a backend b interface e1 zone z interface e2 zone y "
        "identity-enforced-by p identity-enforced-by q }\n",
        "expect deny any -> any service tcp/1, any\n", // syntax error (any with others)
        "expect deny any -> any service tcp/1, udp/2\n",
        "waive hop a -> b until 2027-01-01 because \"\" ticket \"t\\\"x\\\\\"\n",
        "include \"\"\n",
        "access \xc3\xa9 { }\n",                                 // stray character
        "zone u { kind \"\xc3\xa9\" }\n",                        // string where a word belongs
        "policy p { owner \"\xc3\xa9\xc3\xa9\" owner \"x\" }\n", // columns in code points
        "zone { }\n",                                            // syntax error
        "access r { from a to }\n",                              // syntax error
        "zone a { kind \"x }\n",                                 // unterminated string
        "zone a { kind d$ }\n",                                  // stray character
        "# comment only\n",
        "policy e { owner \"line\\none\\ttab\" }\n",       // escapes decoded
        "policy f { owner \"bad \\q and \\\xc3\xa9\" }\n", // E106 twice, columns in code points
        "saas p { provider \"p\" fqdn xn--p1ai.xn--90ais, 1.2.3.4 networks 192.0.2.0/24 }\n",
        "zone " + std::string(300, 'n') + " { kind dmz networks 10.0.0.0/8 }\n", // E107
        "service s tcp/" + std::string(260, '1') + "\n"};                        // E107
    std::mt19937 rng(7);
    std::uniform_int_distribution<size_t> pick(0, kStatements.size() - 1);
    std::uniform_int_distribution<int> len(0, 8);
    for (int i = 0; i < 1500; ++i) {
        std::string text;
        for (int k = len(rng); k > 0; --k)
            text += kStatements[pick(rng)];
        INFO(text);
        auto [reference, fast] = parseBothWays(text);
        REQUIRE(fast == reference);
    }
}

TEST_CASE("parseSource equals the generated-lexer path on a file large enough to be split") {
    // Over 2 MiB, so that on a machine with several cores the fast path cuts
    // it into chunks (at lines starting with `access`) parsed in parallel;
    // spans, E205 diagnostics and include order must not notice the cuts.
    std::string text = "\xEF\xBB\xBFpolicy big { owner \"\xC3\xA9quipe\" }\n";
    for (int i = 0; text.size() < (5u << 19); ++i) {
        std::string n = std::to_string(i);
        text += "zone z" + n + " { kind dmz level open networks 10." + std::to_string(i % 250) +
                ".0.0/24 }\n";
        text += "access r" + n + " { from z" + n + " to any service https log justification \"" +
                (i % 3 ? "plain" : "caf\xC3\xA9") + "\" owner \"o\" }\n";
        if (i % 1000 == 7)
            text += "access dup" + n + " { from a from b to c service any }\n"; // E205
        if (i % 2500 == 11)
            text += "include \"part" + n + ".nsp\"\n";
        if (i % 700 == 3)
            text += "expect allow z" + n + " -> any service https\naccess after" + n +
                    " { from a to b service ssh }\n";
    }
    auto [reference, fast] = parseBothWays(text);
    CHECK(fast.size() == reference.size());
    CHECK(fast == reference);
}
