#include "driver/PolicyDigest.hpp"

#include <doctest/doctest.h>

using netsep::SourceManager;
using netsep::driver::PolicyDigest;
using netsep::driver::sha256Hex;

TEST_CASE("sha256Hex: FIPS 180-2 test vectors") {
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("policy digest: a sha256sum manifest of every file, paths relative to the top file") {
    SourceManager sm;
    sm.add("/tmp/x/top.nsp", "/tmp/x/top.nsp", "abc");
    sm.add("/tmp/x/inc/a.nsp", "/tmp/x/inc/a.nsp", "");
    sm.add("/tmp/lib/b.nsp", "/tmp/lib/b.nsp", "abc");
    PolicyDigest d = PolicyDigest::of(sm);
    const std::string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const std::string empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    REQUIRE(d.files.size() == 3);
    CHECK(d.files[1].path == "inc/a.nsp");
    CHECK(d.files[2].path == "../lib/b.nsp");
    CHECK(d.manifest == abc + "  top.nsp\n" + empty + "  inc/a.nsp\n" + abc + "  ../lib/b.nsp\n");
    CHECK(d.digest == "sha256:" + sha256Hex(d.manifest));
    // Traces cite the same relative paths, whatever the working directory.
    CHECK(sm.where({2, 7, 1, 1}) == "../lib/b.nsp:7");
}
