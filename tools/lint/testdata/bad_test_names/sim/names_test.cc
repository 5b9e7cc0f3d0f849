// Fixture for check_test_names.sh: the first name is fine, the others must be flagged.
TEST_CASE("a plain name passes", "[fixture]") {}
TEST_CASE("a name, with a comma", "[fixture]") {}
TEST_CASE("a name with [brackets]", "[fixture]") {}
