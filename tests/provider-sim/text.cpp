// Realistic text for generated records: accented names, institutions, long summaries.
#include "sim.h"

namespace provider_sim::text {

const Person people[24] = {
    {"Élodie Marchand", "e.marchand"},
    {"Dana Roe", "dana.roe"},
    {"José Álvarez", "jose.alvarez"},
    {"Zoë Brückner", "zoe.brueckner"},
    {"Søren Kierkegård", "s.kierkegard"},
    {"Anaïs Lefèvre", "anais.lefevre"},
    {"Łukasz Wróbel", "l.wrobel"},
    {"Björn Åström", "bjorn.astrom"},
    {"Chloé Dubois", "chloe.dubois"},
    {"François Noël", "f.noel"},
    {"Jürgen Müller", "j.mueller"},
    {"Inés Peña", "ines.pena"},
    {"Mariana Gonçalves", "m.goncalves"},
    {"Ngozi Okafor", "n.okafor"},
    {"Hiroshi Tanaka", "h.tanaka"},
    {"Priya Raghunathan", "priya.r"},
    {"Oğuz Çelik", "oguz.celik"},
    {"Ana-María Rüegg", "a.ruegg"},
    {"Kateřina Dvořáková", "k.dvorakova"},
    {"Siobhán O'Connor", "s.oconnor"},
    {"Mathéo Lefèbvre", "matheo.l"},
    {"Dana Ó Súilleabháin", "d.osullivan"},
    {"Wei Zhāng", "wei.zhang"},
    {"Emma Johansson", "emma.j"},
};

const char* const institutions[16] = {
    "Université de Lyon",
    "Technische Universität München",
    "Universidad Politécnica de Madrid",
    "École Polytechnique Fédérale de Lausanne",
    "Fraunhofer-Institut für Verfahrenstechnik",
    "Università degli Studi di Padova",
    "KTH Kungliga Tekniska högskolan",
    "Instituto Superior Técnico, Lisboa",
    "Uniwersytet Jagielloński",
    "Danmarks Tekniske Universitet",
    "Université Paris-Saclay",
    "Katholieke Universiteit Leuven",
    "Tōhoku University",
    "Universidade de São Paulo",
    "ETH Zürich",
    "Trinity College Dublin",
};

const char* const countries[16] = {"FR", "DE", "ES", "CH", "DE", "IT", "SE", "PT",
                                   "PL", "DK", "FR", "BE", "JP", "BR", "CH", "IE"};

const char* const departments[10] = {
    "Packaging R&D",    "Materials Science",  "Process Engineering",    "Digital Health",
    "Food & Nutrition", "Sustainability",     "Électronique embarquée", "Agro-alimentaire",
    "Open Innovation",  "Corporate Venturing"};

const char* const topics[20] = {
    "packaging films",          "battery recycling",      "cold-chain sensors",
    "enzyme catalysis",         "plant-based proteins",   "carbon capture sorbents",
    "wearable biosensors",      "low-temperature curing", "water desalination",
    "predictive maintenance",   "bio-based adhesives",    "solid-state electrolytes",
    "microplastic filtration",  "precision fermentation", "heat-pump refrigerants",
    "textile upcycling",        "smart labels",           "odour neutralisation",
    "anti-counterfeiting inks", "soil microbiome probes"};

const char* const qualifiers[12] = {"Biodegradable",   "Low-cost",         "Scalable",
                                    "Next-generation", "Energy-efficient", "Compostable",
                                    "Self-healing",    "High-throughput",  "Recyclable",
                                    "Bio-inspired",    "Solvent-free",     "Modular"};

const char* const sentences[16] = {
    "Lab-scale film, 40 µm, oxygen transmission rate below 5 cc/m²/day at 23 °C.",
    "The consortium has validated the process on a 50 L pilot line in Grenoble.",
    "Résultats préliminaires : rendement de 87 % après trois cycles de régénération.",
    "Patent pending (EP 4 123 456 A1); freedom-to-operate analysis available on request.",
    "Die Technologie wurde in einer Machbarkeitsstudie mit zwei Industriepartnern erprobt.",
    "Shelf life extended from 9 to 21 days in accelerated ageing tests (40 °C, 75 % RH).",
    "We are looking for a partner to co-develop a demonstrator within 18 months.",
    "La solución reduce el consumo energético un 30 % frente al estado del arte.",
    "Compatible with existing extrusion equipment; no capital expenditure is required.",
    "TRL assessment by an external reviewer: 4, with a credible path to 6 by Q4.",
    "Licensing, joint development or a sponsored research agreement are all possible.",
    "Toxicology screening (OECD 423) shows no adverse effects at the tested doses.",
    "Il prototipo è stato presentato alla fiera K 2025 di Düsseldorf.",
    "Raw material cost is estimated at €1.20/kg at 10 kt/year, including logistics.",
    "Signal-to-noise ratio above 40 dB with a power draw of 12 µW in sleep mode.",
    "Ongoing life-cycle assessment (ISO 14044) expects a 55 % lower CO₂ footprint.",
};

const char* const companies[16] = {"Harbor Realty",
                                   "Acme Fasteners GmbH",
                                   "Bäckerei Schäfer KG",
                                   "Société Générale d'Isolation",
                                   "Nordisk Kølteknik A/S",
                                   "Ortopedia São João Lda",
                                   "Müller & Söhne Logistik",
                                   "Château Lafleur SAS",
                                   "Zürcher Präzisionsteile AG",
                                   "Café Olé SARL",
                                   "Kraków Medical Sp. z o.o.",
                                   "Ibérica de Envases SA",
                                   "Blue Fjord Seafood AS",
                                   "Prima Costruzioni Srl",
                                   "Øresund Energi ApS",
                                   "Hôpital Saint-Éloi"};

std::string summary(Dice& dice) {
  std::string out;
  int n = 3 + static_cast<int>(dice.below(5));
  for (int i = 0; i < n; ++i) {
    if (!out.empty())
      out += ' ';
    out += dice.pick(sentences);
  }
  return out;
}

std::string title(Dice& dice) {
  return std::string(dice.pick(qualifiers)) + " " + dice.pick(topics);
}

}  // namespace provider_sim::text
