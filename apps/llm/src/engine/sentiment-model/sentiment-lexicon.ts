/**
 * A small hand-written polarity lexicon (general English, customer-facing words). It gives the
 * model a prior for words its training texts never contained; the model learns how much to trust
 * it. Forms are listed as tokens come out of `tokeniseText` (lowercase, no apostrophes).
 */
const words = (list: string): ReadonlySet<string> => new Set(list.trim().split(/\s+/));

export const positiveWords = words(`
  good great excellent amazing awesome brilliant brill fantastic wonderful superb outstanding perfect
  perfectly love loved loving loves lovely happy happier happiest pleased delighted thrilled glad
  satisfied impressed impressive recommend recommended nice beautiful beautifully gorgeous stunning
  friendly helpful kind polite patient professional efficient quick quickly fast prompt promptly
  smooth smoothly easy easier effortless painless seamless seamlessly reliable sturdy solid
  comfortable comfy cosy cozy spotless tidy fab fabulous terrific exceptional flawless flawlessly
  thanks thank thankyou grateful appreciate appreciated appreciation cheers kudos legend lifesaver
  relief enjoy enjoyed enjoying enjoyable fun pleasure pleasant pleasantly worth bargain delicious
  tasty yummy incredible exceeded exceeds favourite favorite congrats congratulations proud elegant
  handy useful intuitive accurate generous wow yay woohoo ace cracking gem heavenly calming improved
  improvement resolved sorted solved premium glowing praise compliment commend caring considerate
  thoughtful courteous knowledgeable warm welcoming attentive punctual reasonable fair affordable
  best brilliantly fantastically wonderfully excellently stellar splendid marvellous marvelous
  charming delightful refreshing reassuring responsive superior convenient amazed better easiest
  quickest fastest smoothest helped fixed informative rock rocks rocked unreal sweetheart faith
  recommendation recommending recommends praised thanked thankful gratitude joy joyful lucky hooray
  hurray bravo yippee outstandingly superbly perfection magic magical legendary epic sublime
  exquisite immaculate pristine fresh crisp homely relaxing relaxed relieved confident trust trusted
  trustworthy honest transparent fair-minded genuine genuinely sincere accommodating obliging
  supportive encouraging understanding patiently cheerful cheerfully smiling smile smiles welcomed
  rewarding worthwhile valuable benefit beneficial win winner wins winning success successful
  succeeded nailed achieved faster cleaner quieter cheaper stronger sturdier comfier tidier excited
  exciting memorable unforgettable dependable consistent consistently gladly happily luckily
  thankfully wondrous neat nifty slick snappy polished brilliance excellence emo_grin emo_laugh
  emo_smile emo_love emo_heart emo_thumbsup emo_clap emo_cheer emo_party emo_rocket emo_fire emo_star
  emo_sparkle emo_hundred emo_check emo_ok emo_starstruck emo_cool
`);

export const negativeWords = words(`
  bad terrible terribly awful awfully horrible horrendous dreadful poor poorly rubbish useless
  pointless hopeless broken broke defective damaged cracked smashed ruined leaking leaks leaked lost
  late delayed delay delays slow rude unhelpful dismissive ignored ignore ignoring disappointed
  disappointing disappointment letdown unhappy upset angry furious livid annoyed annoying irritating
  irritated frustrated frustrating frustration hate hated hates dislike nightmare disaster disgrace
  disgraceful disgusting disgusted gross appalling appalled shocking shocked unacceptable ridiculous
  absurd outrageous joke scam shady sneaky misleading fake overpriced overcharged mistake mistakes
  error wrong incorrect fail failed failing failure crash crashes crashing bug bugs buggy glitch
  glitchy freezes freezing frozen stuck unusable unreliable flimsy nasty filthy dirty smelly stained
  noisy uncomfortable complain complaint complaints problem problems waste wasted regret faults sadly
  unfortunately regrettably annoyingly struggle struggling hassle pain painful confusing impossible
  tedious clunky sluggish lied lies liar incompetent clueless careless unprofessional lazy yuck ugh
  meh sigh sucks crap crappy wtf ffs mess messy chaotic shambles farce fiasco botched shoddy
  substandard mediocre underwhelming underwhelmed bland tasteless stale soggy lukewarm burnt cramped
  fuming gutted dreading exhausted demoralised demoralized worried baffled downhill worthless
  inconvenience inconvenient spam harassment dispute chargeback ombudsman avoid unanswered unresolved
  refused refuses overdue horrid pathetic dangerous unsafe hazard unbearable unresponsive unable
  uninstall uninstalled uninstalling worsened worsening deteriorated deteriorating declined decline
  shrank shrunk peeling peeled pilled pilling ripped torn tore snapped scratched scratches dented
  dent stains smelled smells stinks stink stank mould mouldy moldy rotten expired spoiled spoilt
  wobbly wobbles squeaks squeaky rattles rattling flickers flickering overheats overheating
  overheated drained drains disconnects disconnecting dropping drops lag lags lagging freeze froze
  hang hangs misery miserable depressing depressed sad sadness regretful annoy annoys bother bothered
  hassled harassed pestered nuisance irritate infuriating infuriated enraged rage outraged angered
  anger mad sulking bitter resent disrespectful disrespected patronising patronizing condescending
  arrogant ignorant snotty sarcastic insulting insulted offended offensive abusive aggressive hostile
  unfriendly impolite negligent negligence inadequate insufficient unsatisfactory unsatisfied
  dissatisfied dissatisfaction displeased displeasure complaining complained grievance nonsense
  garbage trash junk dud lemon ripoff overcharge overcharging overpaid extortionate pricey costly
  dearer stingy greedy cheated cheating fraud fraudulent dodgy suspicious misled misinformed lying
  deceptive deceived dishonest broken-down breakdown breakdowns outage outages downtime glitches
  defect defects flaw flawed flaws shortfall shortage lacking lacks lack missed losing lose wasting
  chasing chased ignores neglected forgotten forgot slower slowest worse-than harder hardest
  difficult difficulty awkward cumbersome complicated convoluted frustrate frustrates stressful
  stressed stress anxious worry worrying nervous fear scary terrified horrific horrified nightmarish
  unpleasant unhygienic undercooked overcooked emo_thumbsdown emo_sad emo_cry emo_weary emo_angry
  emo_eyeroll emo_unamused emo_poop emo_vomit emo_facepalm emo_brokenheart emo_cross emo_scream fault
  faulty missing worse worst crashed fails errors laggy greasy sucked
`);

const phrases = (list: string): readonly (readonly string[])[] =>
  list
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));

/** Positive phrases built from negations or negative words ("no complaints", "can't fault"). */
export const positiveIdioms = phrases(`
  no complaints
  no problems
  no problem
  no issues
  not bad
  not too bad
  cant fault
  cannot fault
  couldnt fault
  hard to fault
  cant complain
  couldnt be happier
  couldnt be better
  couldnt ask for more
  couldnt ask for a better
  cant recommend enough
  cant thank you enough
  never disappoints
  never disappoint
  never let me down
  never lets me down
  never had a problem
  no regrets
  no hassle
  not disappointed
  wouldnt hesitate
  nothing to improve
  above and beyond
  worth every penny
  worth the wait
  spot on
  top notch
  second to none
  extra mile
  made my day
  works a treat
  without a hitch
  record time
  hats off
  well done
  keep it up
  good work
  over the moon
  blown away
`);

/** Negative phrases built from neutral or positive words ("thanks for nothing", "still waiting"). */
export const negativeIdioms = phrases(`
  thanks for nothing
  not good enough
  not worth
  not impressed
  not happy
  not great
  never again
  fed up
  sick of
  tired of
  had enough
  let down
  waste of
  what a joke
  yeah right
  so much for
  no response
  no reply
  no answer
  still not
  still no
  still waiting
  still havent
  still hasnt
  yet another
  once again
  last straw
  rip off
  ripped off
  fell apart
  falls apart
  falling apart
  out of pocket
  on hold
  hung up
  stopped working
  doesnt work
  didnt work
  not working
  does not work
  did not work
  dont bother
  do not buy
  dont buy
  stay away
  not fit for purpose
  not as described
  nothing like
  could have been better
  could be better
  expected better
  expected more
  apparently not
  to be desired
  fell short
  falls short
  never ordering
  never buying
  never using
  no one
  nobody
`);

/** Courtesy formulas whose words would otherwise count as praise ("Good afternoon", "Thanks in advance"). */
export const courtesyPhrases = phrases(`
  good morning
  good afternoon
  good evening
  good day
  thanks in advance
  thank you in advance
  kind regards
  best regards
  warm regards
  best wishes
`);
