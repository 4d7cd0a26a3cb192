// Shared test helpers live in tests/testing/.
namespace gee::testing {}
