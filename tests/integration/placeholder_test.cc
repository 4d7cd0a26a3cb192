#include <gtest/gtest.h>
TEST(IntegrationPlaceholder, BuildsAndRuns) { SUCCEED(); }
