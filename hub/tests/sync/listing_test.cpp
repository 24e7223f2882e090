// What a run listed: ids as the store keeps them (trimmed), per entity, and what says complete.
#include "hub/sync/listing.h"

#include <gtest/gtest.h>

namespace hub {
namespace {

TEST(Listing, IdsAreTrimmedAsStoredAndKeptPerEntity) {
  Listing listing;
  listing.saw(Entity::campaign, " c-1\t");
  listing.saw(Entity::opportunity, "o-1");
  listing.seal();
  EXPECT_TRUE(listing.contains(Entity::campaign, "c-1"));
  EXPECT_FALSE(listing.contains(Entity::campaign, "o-1"));
  EXPECT_FALSE(listing.contains(Entity::campaign, "c-2"));
  EXPECT_TRUE(listing.contains(Entity::opportunity, "o-1"));
}

TEST(Listing, CompleteEntitiesAreSaidOnceAndARecordWithoutIdIsNoted) {
  Listing listing;
  listing.listed_all(Entity::campaign);
  listing.listed_all(Entity::campaign);
  listing.listed_all(Entity::participant);
  EXPECT_EQ(listing.complete(), (std::vector<Entity>{Entity::campaign, Entity::participant}));
  EXPECT_FALSE(listing.unidentified(Entity::participant));
  listing.saw(Entity::participant, "  ");
  EXPECT_TRUE(listing.unidentified(Entity::participant));
  EXPECT_FALSE(listing.unidentified(Entity::campaign));
}

}  // namespace
}  // namespace hub
