// The demo model's sentiment lexicon and answer vocabularies. Each lexicon word becomes a
// vocabulary token (with and without its leading-space marker, lower case and capitalised) whose
// embedding carries its sentiment value; the attention heads of build/gguf/demo-attention.ts
// average those values over the current review. Written from general knowledge of review
// language, not fitted to any test set (test/fixtures/reviews is written separately and never read here).

/** Strong words count twice. */
export const POSITIVE_STRONG = [
  'love', 'loved', 'loves', 'excellent', 'amazing', 'wonderful', 'fantastic', 'perfect', 'outstanding',
  'superb', 'brilliant', 'awesome', 'incredible', 'best', 'delicious', 'delightful', 'stunning', 'magnificent',
  'exceptional', 'flawless',
];
export const POSITIVE = [
  'good', 'great', 'nice', 'liked', 'enjoy', 'enjoyed', 'happy', 'pleased', 'friendly', 'helpful',
  'clean', 'comfortable', 'cozy', 'fresh', 'tasty', 'beautiful', 'lovely', 'pleasant', 'fun', 'fast', 'quick',
  'easy', 'recommend', 'recommended', 'fine', 'solid', 'reliable', 'warm', 'welcoming', 'attentive', 'polite',
  'kind', 'charming', 'spacious', 'quiet', 'affordable', 'worth', 'gorgeous', 'impressive', 'impressed',
  'glad', 'smooth', 'sturdy', 'generous', 'cheerful', 'satisfied', 'favorite', 'favourite', 'fabulous',
  'terrific', 'exciting', 'entertaining', 'funny', 'charm', 'enjoyable', 'better', 'thanks',
  'thank', 'crisp', 'juicy', 'professional', 'courteous', 'efficient', 'bright', 'relaxing', 'pretty',
  'cool', 'wow', 'gem', 'bargain', 'superior', 'masterpiece', 'touching', 'engaging', 'refreshing',
];
export const NEGATIVE_STRONG = [
  'awful', 'terrible', 'horrible', 'disgusting', 'worst', 'hate', 'hated', 'dreadful', 'appalling', 'filthy',
  'disaster', 'useless', 'pathetic', 'inedible', 'unacceptable', 'atrocious', 'nightmare', 'ruined',
  'sucks', 'garbage',
];
export const NEGATIVE = [
  'bad', 'poor', 'boring', 'bored', 'cold', 'dirty', 'rude', 'slow', 'broken', 'noisy', 'loud', 'bland',
  'stale', 'greasy', 'soggy', 'burnt', 'overpriced', 'expensive', 'disappointing', 'disappointed',
  'disappointment', 'mediocre', 'dull', 'tired', 'annoying', 'annoyed', 'unfriendly', 'unhelpful', 'ignored',
  'crowded', 'cramped', 'smelly', 'sticky', 'stained', 'late', 'delayed', 'waste', 'wasted', 'wrong',
  'lost', 'confusing', 'confused', 'cheap', 'flimsy', 'leaky', 'leaking', 'failed', 'fails', 'crashed',
  'crashes', 'buggy', 'unreliable', 'uncomfortable', 'ugly', 'sad', 'angry', 'upset', 'problem', 'problems',
  'complaint', 'refund', 'avoid', 'never', 'worse', 'lukewarm', 'undercooked', 'overcooked', 'dry',
  'tasteless', 'sloppy', 'careless', 'hostile', 'mess', 'messy', 'damaged', 'stupid', 'painful', 'weak',
  'rough', 'difficult', 'hard', 'hassle',
];

/** word -> sentiment value (+-1, strong words +-2); the capitalised form gets the same value. */
export function lexicon(): Map<string, number> {
  const out = new Map<string, number>();
  const put = (words: string[], value: number) => {
    for (const w of words) {
      out.set(w, value);
      out.set(w[0]!.toUpperCase() + w.slice(1), value);
    }
  };
  put(POSITIVE, 1);
  put(POSITIVE_STRONG, 2);
  put(NEGATIVE, -1);
  put(NEGATIVE_STRONG, -2);
  return out;
}

/**
 * Answer vocabularies ("pairs"). The words that name a pair in an instruction or a shot's answer
 * (`names`) and the two tokens the model answers with, positive first. Every word is one token
 * with its leading space (`▁Good`), which is how it follows `A:`.
 */
export interface LabelPair {
  id: string;
  positive: string;
  negative: string;
  /** words that, in an instruction or right after an answer marker, select this pair */
  names: string[];
}

export const LABEL_PAIRS: LabelPair[] = [
  { id: 'positive-negative', positive: 'Positive', negative: 'Negative', names: ['Positive', 'Negative', 'positive', 'negative'] },
  { id: 'good-bad', positive: 'Good', negative: 'Bad', names: ['Good', 'Bad'] },
  { id: 'yes-no', positive: 'yes', negative: 'no', names: ['yes', 'no'] },
  { id: 'Yes-No', positive: 'Yes', negative: 'No', names: ['Yes', 'No'] },
  { id: 'pos-neg', positive: 'pos', negative: 'neg', names: ['pos', 'neg'] },
];

/** Markers that open the text to be read (a question, a review, a user turn). */
export const QUESTION_MARKERS = ['Q:', 'Review:', 'User:', 'Input:', 'Text:'];
/** Markers after which the model answers with a label when it has read sentiment. */
export const ANSWER_MARKERS = ['A:', 'Sentiment:', 'Assistant:', 'Label:'];
/** Tokens that end a clause: the nearness head reads the last clause that holds sentiment. */
export const CLAUSE_ENDS = ['.', ',', '!', '?', ';', 'but', 'though', 'although', 'however', 'yet'];
