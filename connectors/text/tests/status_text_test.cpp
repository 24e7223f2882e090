// fold_status: the one comparison of status texts, in each match mode.
#include <gtest/gtest.h>

#include "connectors/text/status_text.h"

namespace connectors::text {
namespace {

using campaign_hub::StatusMatch;

TEST(StatusTextTest, ExactCaseAndAccentMatching) {
  EXPECT_EQ(fold_status("  Terminée ", StatusMatch::exact), "Terminée");
  EXPECT_EQ(fold_status("TERMINÉE", StatusMatch::case_insensitive), "terminée");
  EXPECT_EQ(fold_status("TERMINÉE", StatusMatch::accent_insensitive), "terminee");
  EXPECT_EQ(fold_status("En cours d’exécution", StatusMatch::accent_insensitive),
            fold_status("en cours d'execution", StatusMatch::accent_insensitive));
  EXPECT_EQ(fold_status("Prête  à\u00a0exécuter", StatusMatch::accent_insensitive),
            "prete a executer");
  EXPECT_NE(fold_status("Terminée", StatusMatch::case_insensitive),
            fold_status("Terminee", StatusMatch::case_insensitive));
}

TEST(StatusTextTest, OnlyLatin1AccentsFoldAndOtherBytesStayAsTheyCame) {
  EXPECT_EQ(fold_status("ÉTÉ", StatusMatch::case_insensitive), "été");
  EXPECT_EQ(fold_status("Œuvre", StatusMatch::accent_insensitive), "oeuvre");
  EXPECT_EQ(fold_status("Ωmega", StatusMatch::accent_insensitive), "Ωmega");
  EXPECT_EQ(fold_status("  ", StatusMatch::accent_insensitive), "");
}

}  // namespace
}  // namespace connectors::text
