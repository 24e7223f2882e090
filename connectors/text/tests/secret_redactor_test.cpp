#include "connectors/text/secret_redactor.h"

#include <gtest/gtest.h>

namespace connectors::text {
namespace {

TEST(SecretRedactorTest, MasksEveryOccurrence) {
  SecretRedactor redactor;
  redactor.add("s3cr3t-value");
  EXPECT_EQ(redactor.redact("a s3cr3t-value and s3cr3t-value"), "a *** and ***");
}

TEST(SecretRedactorTest, MasksThePercentEncodedForms) {
  SecretRedactor redactor;
  redactor.add("k3y/with+special chars");
  EXPECT_EQ(redactor.redact("api_key=k3y%2Fwith%2Bspecial%20chars"), "api_key=***");
  EXPECT_EQ(redactor.redact("api_key=k3y%2fwith%2bspecial+chars"), "api_key=***");
  EXPECT_EQ(redactor.redact("k3y/with+special chars"), "***");
}

TEST(SecretRedactorTest, MasksASecretContainingAnotherWhole) {
  SecretRedactor redactor;
  redactor.add("abcd");
  redactor.add("abcdefgh");
  EXPECT_EQ(redactor.redact("x abcdefgh y"), "x *** y");
}

TEST(SecretRedactorTest, IgnoresValuesTooShortToBeSecrets) {
  SecretRedactor redactor;
  redactor.add("abc");
  EXPECT_TRUE(redactor.empty());
  EXPECT_EQ(redactor.redact("abc"), "abc");
}

TEST(SecretRedactorTest, EncodedFormsAreDistinct) {
  EXPECT_EQ(encoded_forms("plain").size(), 1u);
  auto forms = encoded_forms("a b/c");
  EXPECT_EQ(forms.size(), 5u);  // as is, %2F and %2f, each with a space as %20 or +
  EXPECT_EQ(forms[0], "a b/c");
  EXPECT_NE(std::find(forms.begin(), forms.end(), "a+b%2fc"), forms.end());
}

}  // namespace
}  // namespace connectors::text
