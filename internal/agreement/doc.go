// Package agreement computes inter-coder agreement: the reliability
// statistics over a units × coders table with missing values, and the
// turning of coded text into such units (turns, sentences, paragraphs,
// characters, coded segments). It knows nothing of projects or storage;
// docs/AGREEMENT.md describes every statistic and rule for users.
//
// Sources of the formulas:
//   - Krippendorff's alpha: K. Krippendorff, "Computing Krippendorff's
//     Alpha-Reliability" (2011), sections A–C: the coincidence matrix of
//     pairable values, each unit's pairs weighted 1/(m_u − 1);
//     alpha = 1 − D_o/D_e. The ordinal difference uses the marginal
//     frequencies of the ordered values (Krippendorff 2004, p. 223), which
//     equals the squared difference of the values' mid-ranks.
//   - Cohen's kappa: J. Cohen (1960), Educational and Psychological
//     Measurement 20, p. 37–46; Scott's pi: W. A. Scott (1955), Public
//     Opinion Quarterly 19, p. 321–325; both as set out in R. Artstein and
//     M. Poesio (2008), Computational Linguistics 34(4), section 2.
//   - Fleiss' kappa: J. L. Fleiss (1971), Psychological Bulletin 76(5),
//     p. 378–382.
//   - Brennan–Prediger (Bennett's S, Randolph's free-marginal kappa for
//     more coders): R. L. Brennan and D. J. Prediger (1981), Educational and
//     Psychological Measurement 41, p. 687–699.
//   - Character level: NVivo's coding comparison (percent agreement and
//     Cohen's kappa over the characters of a document, per code).
//   - Segment level: MAXQDA's intercoder agreement for coded segments (a
//     segment agrees when the other coder has one of the same code that
//     overlaps it by at least a threshold of their union), chance-corrected
//     with Brennan–Prediger and 1/number of codes.
package agreement
