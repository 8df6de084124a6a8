#include "format/Formatter.hpp"

#include <doctest/doctest.h>

using netsep::format::formatSource;

TEST_CASE("fmt: spacing, indentation, comments and blank lines are normalised") {
    std::string in = "zone   a{kind internal   level open networks 10.0.0.0/8 ,10.1.0.0/16}\r\n"
                     "\r\n\r\n\r\n"
                     "access x {   # why\n"
                     "        from a to b\n"
                     "service https\n"
                     "   }\n"
                     "expect allow a->b service https\n"
                     "waive hop a -> b until 2027-01-01\n"
                     "      because \"r\" ticket \"t\"";
    std::string want = "zone a { kind internal level open networks 10.0.0.0/8, 10.1.0.0/16 }\n"
                       "\n"
                       "access x {  # why\n"
                       "  from a to b\n"
                       "  service https\n"
                       "}\n"
                       "expect allow a -> b service https\n"
                       "waive hop a -> b until 2027-01-01\n"
                       "    because \"r\" ticket \"t\"\n";
    CHECK(formatSource(in) == want);
    CHECK(formatSource(want) == want);
}

TEST_CASE("fmt: continuation lines inside blocks indent one more step") {
    std::string in = "group g in z {\n10.0.0.1,\n10.0.0.2\n}\n";
    std::string want = "group g in z {\n    10.0.0.1,\n    10.0.0.2\n}\n";
    CHECK(formatSource(in) == want);
}
