// Given names and surnames, for telling "customer Priya Raman" from "customer Acme Corp". The lists are the npm
// packages `humannames` (MIT, ~197,000 first and last names from censuses and social sites, shipped in the
// tarball) and `@faker-js/faker` (MIT, first and last names of ~70 locales); they are read on first use (~200 ms),
// since most redactors never see a name context.
//
// The list holds plenty of ordinary words ("Will", "Rose", "Jenkins", "Ruby", "Error"), so a word in it is only
// evidence, never proof: names are detected from context (personal.ts), and NOT_NAMES removes the words that
// operations text uses for other things.
import { createRequire } from "node:module";

let names: Set<string> | null = null;
let given: Set<string> | null = null;
let surnames: Set<string> | null = null;

/** Lowercase without diacritics, so "Müller", "García", "Bjørnstad" match the list's "Muller", "Garcia", "Bjornstad". */
export function foldName(w: string): string {
  if (/^[\x00-\x7f]*$/.test(w)) return w.toLowerCase();
  // NFD + a Unicode regex per lookup dominated name-dense non-ASCII text ("Ayşe Şahin" repeated): memoized.
  let f = FOLDED.get(w);
  if (f === undefined) {
    f = w
      .normalize("NFD")
      .replace(/\p{M}+/gu, "")
      .toLowerCase()
      .replace(/[øœæßłđþı]/g, (c) => FOLD[c] ?? c);
    if (FOLDED.size >= 4096) FOLDED.clear();
    FOLDED.set(w, f);
  }
  return f;
}
const FOLDED = new Map<string, string>();
const FOLD: Record<string, string> = { ø: "o", œ: "oe", æ: "ae", ß: "ss", ł: "l", đ: "d", þ: "th", ı: "i" };

function load(): Set<string> {
  // createRequire: both packages are CommonJS; Next keeps them external (next.config.js serverExternalPackages).
  const req = createRequire(import.meta.url);
  const list = req("humannames") as Record<string, number>;
  const set = new Set<string>();
  for (const k of Object.keys(list)) if (k.length >= 2) set.add(foldName(k));
  // @faker-js/faker (MIT): first and last names of its ~70 locales (Finnish, Polish, Korean, Nigerian, Vietnamese …),
  // which humannames lacks; its first names are also the given-name list.
  given = new Set<string>();
  surnames = new Set<string>();
  const { allLocales } = req("@faker-js/faker") as { allLocales: Record<string, { person?: Record<string, unknown> }> };
  const walk = (v: unknown, into: Set<string>[]) => {
    if (typeof v === "string") {
      for (const part of v.split(/\s+/)) if (part.length >= 2 && /^\p{Lu}/u.test(part)) for (const s of into) s.add(foldName(part));
    } else if (Array.isArray(v)) for (const x of v) walk(x, into);
    else if (v && typeof v === "object") walk((v as { value?: unknown }).value ?? Object.values(v), into);
  };
  for (const loc of Object.values(allLocales)) {
    walk(loc.person?.first_name, [set, given]);
    walk(loc.person?.last_name, [set, surnames]);
  }
  surnameFirst = new Set<string>(ROMANIZED_SURNAME_FIRST);
  for (const l of ["hu", "vi"]) walk(allLocales[l]?.person?.last_name, [surnameFirst]);
  for (const w of EXTRA_GIVEN) {
    const f = foldName(w);
    set.add(f);
    given.add(f);
  }
  return set;
}

// Given names that the faker lists lack, written for this project (common names of Iceland, the Baltics, Greece,
// Ukraine, Latin America, Iran, the Arab world, East and Southern Africa, South and East Asia, Israel, Ireland,
// the Pacific), as evidence in the same contexts as the faker ones.
const EXTRA_GIVEN = (
  "Sigurður Sigurdur Hildur Guðrún Gudrun Jón Gunnar Einar Katrín Ólafur Olafur Helga Björk Bjork Hrafn Arnar Sóley Kristín Þóra Thora Eiður Halldór Ragnar Birna Eyrún " +
  "Liis Kadri Triin Kaja Maarja Siim Tõnu Tonu Mart Kertu Kristjan Rasmus Jaanika Marju Ieva Agnė Rūta Lukas Mantas Žygimantas Jānis Kristaps Līga Ilze " +
  "Giorgos Georgios Dimitris Dimitrios Kostas Konstantinos Nikos Nikolaos Yannis Giannis Ioannis Eleni Katerina Vasilis Vasileios Christos Panagiotis Athanasios Despina Stavros Thanos Spyros Eirini Vasiliki Paraskevi Evangelia Theodoros Anastasios " +
  "Nataliia Natalia Oleksandr Oleksii Andrii Yuliia Iryna Olena Tetiana Serhii Mykola Dmytro Viktoriia Anastasiia Kateryna Oksana Bohdan Taras Volodymyr Halyna Liudmyla Mariia Yevhen Vitalii Yurii " +
  "Lautaro Thiago Mateo Benjamín Valentino Milagros Agustina Camila Florencia Micaela Facundo Joaquín Tomás Nahuel Ignacio Gonzalo Rodrigo Martina Abril Catalina Valentina Renata Ximena Santino Bautista Agustín Luciana Rocío Belén " +
  "Dariush Arash Mahsa Shirin Reza Hossein Mehdi Parisa Niloufar Niloofar Kian Babak Farhad Kaveh Behnam Navid Sepideh Leila Maryam Omid Pouya Golnaz Roya Shahram Mojtaba Amir Yasaman Arman " +
  "Fatima Omar Youssef Yousef Ahmed Mohamed Mohammed Khalid Layla Amira Nour Hassan Hussein Karim Rania Salma Yasmin Tariq Samir Hamza Bilal Zainab Aisha Mariam Ibrahim Mustafa Rashid Huda Noura Faisal Walid " +
  "Achieng Wanjiru Wambui Kamau Njeri Otieno Chinedu Ngozi Emeka Oluwaseun Adaeze Thabo Lerato Sipho Naledi Zanele Kagiso Kwame Kofi Abena Folasade Tunde Amara Zawadi Baraka Amani Jabari Mandla Nomvula Lindiwe Tendai Chipo Tatenda Kudzai Wanjiku Akinyi Atieno Nkechi Chiamaka Obinna Ifeoma Tshepo Palesa Bongani Thandiwe " +
  "Priya Arjun Rohan Ananya Aditya Kavya Vikram Deepika Rahul Sneha Aarav Ishaan Meera Sanjay Lakshmi Suresh Ramesh Anjali Pooja Nikhil Karthik Divya Aishwarya Harsha Venkat Sunita " +
  "Haruto Yuki Sota Hina Yui Riku Yuto Haruka Naoki Shota Kaito Daiki Kenji Takeshi Hiroshi Akira Sakura Aoi Kenta Ryota Takumi Misaki Ayumi Yusuke Kazuki Tomoko " +
  "Minjun Seoyeon Jiwoo Jisoo Hyun Jiho Yejin Minseo Doyun Seojun Jimin Hyejin Sungmin " +
  "Minh Linh Trang Huong Thao Duc Tuan Quang Hieu Phuong Thanh Nhung Khanh Hoang Dung " +
  "Yonatan Noa Tamar Itai Yael Omer Shira Eitan Noam Avital Moshe Yossi Ofir Liat " +
  "Saoirse Siobhán Niamh Aoife Cian Oisín Ciarán Eoin Pádraig Caoimhe Róisín Seán Tadhg Clodagh Orla Darragh " +
  "Aroha Wiremu Hemi Anahera Rangi Tāne Tane Mere Ngaio Manaia Losa Sione Mele " +
  "Ioana Radu Andrei Mihai Alexandru Ionuț Ionut Raluca Florin Bianca Cosmin Sorin Oana Irina " +
  "Iker Unai Ainhoa Nerea Jordi Montserrat Oriol Núria Nuria Arnau Aitor Itziar " +
  "Thijs Sanne Joost Bram Femke Lotte Sjoerd Maarten Anouk Wouter Eline Jeroen Marieke Floor " +
  "Emre Mehmet Elif Zeynep Burak Deniz Ece Kerem Selin Murat Ayşe Ayse Cem Ebru Oğuz Tuğba Yiğit " +
  "Arnel Jhon Rhea Lovely Mylene Jericho Marivic Rowena Mariel Jomar"
).split(" ");

// Surnames written first (Hungarian, Chinese, Korean, Vietnamese): "Kovács Levente", "Wang Yuting", "Kim Dong-hyun".
// Romanized Chinese and Korean ones written here (the faker lists have them in Hanzi/Hangul); words that English
// text uses otherwise ("He", "Ma", "An", "Oh", "Long") are left out.
const ROMANIZED_SURNAME_FIRST = (
  "wang zhang liu chen yang huang zhao zhou xu sun zhu guo gao lin luo zheng liang xie tang feng deng cao peng zeng xiao " +
  "tian dong pan yuan cai jiang du cheng wei lu ding ren shen yao zhong qian kong mao hao qiu qin jia xia fu tao " +
  "kim lee park choi choe jung jeong kang cho yoon yun jang lim hwang kwon ahn seo shin hong yoo ryu jeon baek nam noh heo " +
  "nguyen tran pham huynh vo dang bui ngo duong ly truong"
).split(" ");
let surnameFirst: Set<string> | null = null;

/** A surname that its culture writes before the given name: Hungarian, Chinese, Korean, Vietnamese. */
export function isSurnameFirst(w: string): boolean {
  const f = foldName(w);
  if (NOT_NAMES.has(f)) return false;
  names ??= load();
  return surnameFirst!.has(f);
}

// One pinyin syllable; a Chinese given name is one or two of them ("Jing", "Yuting", "Zhiyuan").
const PINYIN = /^(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|iao|ian|uai|uan|ang|eng|ing|ong|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|a|o|e|i|u)|er){1,2}$/;
// "o" alone follows only b p m f w y ("bo", "wo"), never "go" or "to": "Bingo", "Potato" are no pinyin.
const NOT_PINYIN = /[cdghjklnqrstxz]o(?!u|ng)/;
/** A romanized Chinese given name of two syllables ("Yuting", "Zhiyuan"), or one when `single` ("Jing", "Hao"). */
export function isPinyinGiven(w: string, single = false): boolean {
  if (w.length > 12 || !/^[A-Z][a-z]+$/.test(w) || NOT_NAMES.has(w.toLowerCase())) return false;
  if (!PINYIN.test(w.toLowerCase()) || NOT_PINYIN.test(w.toLowerCase())) return false;
  if (single) return true;
  // two syllables: at least 5 letters and not a one-syllable word ("Chang", "Shuang")
  return w.length >= 5 && !/^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|iao|ian|uai|uan|ang|eng|ing|ong|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|er|a|o|e|i|u)$/.test(w.toLowerCase());
}

/** A romanized Korean given name: two syllables joined by a hyphen ("Dong-hyun", "Seo-yeon", "Min-jun"). */
export function isKoreanGiven(w: string): boolean {
  return /^[A-Z][a-z]{1,4}-[a-z]{2,5}$/.test(w) && /^[A-Z][a-z]*[aeiouy][a-z]*-[a-z]*[aeiouy]/.test(w);
}

/** True when `w` is a given name in the faker lists ("Aino", "Chinedu"), not a word operations text uses otherwise. */
export function isGivenName(w: string): boolean {
  const f = foldName(w);
  if (NOT_NAMES.has(f)) return false;
  names ??= load();
  return given!.has(f);
}

/** True when `w` is a surname in the faker lists ("Virtanen", "Okafor"). */
export function isSurname(w: string): boolean {
  const f = foldName(w);
  if (NOT_NAMES.has(f)) return false;
  names ??= load();
  if (surnames!.has(f)) return true;
  // Feminine forms of Slavic surnames: Lewandowska ← Lewandowski, Nováková ← Novák, Smirnova ← Smirnov.
  if (f.length >= 6 && SURNAME_SUFFIX.test(f)) return true;
  const masc = /(?:sk|ck|dzk)a$/.test(f) ? `${f.slice(0, -1)}i` : /(?:ov|ev|in)a$/.test(f) ? f.slice(0, -1) : null;
  if (masc && (surnames!.has(masc) || (f.endsWith("ova") && surnames!.has(f.slice(0, -3))))) return true;
  const parts = f.split(/['’-]/).filter((p) => p.length >= 2); // "Kamińska-Nowak", "O'Malley"
  return parts.length === 2 && parts.every((p) => surnames!.has(p) && !NOT_NAMES.has(p));
}

// Endings that only surnames have: Icelandic patronymics (Ólafsdóttir, Gunnarsson), Greek (Papadopoulos,
// Karagiannis is listed), Romanian (Popescu), Ukrainian (Shevchenko, Kovalchuk), South Slavic (Jovanović), Georgian
// (Beridze, Kapanadze, Tsiklauri is not), Armenian (Hakobyan), Turkish (Karaoğlu), Persian (Alizadeh), Lithuanian
// (Kazlauskas, Petrauskienė), Finnish (Hämäläinen).
const SURNAME_SUFFIX = /(?:dottir|sson|poulos|opoulou|akis|escu|eanu|enko|chuk|czuk|ovic|evic|shvili|dze|[^aeiou]yan|oglu|zadeh|auskas|evicius|iene|aite|[aeiouy]inen|[aeiouy]nen)$/;

/** True when `w` is in the name list and is not a word that operations text uses otherwise. */
export function isKnownName(w: string): boolean {
  const f = foldName(w);
  if (NOT_NAMES.has(f)) return false;
  names ??= load();
  if (names.has(f)) return true;
  // "Hans-Peter", "Anne-Marie", "O'Brien", "D'Souza": the list holds the parts.
  const parts = f.split(/['’-]/).filter((p) => p.length >= 2);
  return parts.length > 0 && parts.length <= 3 && parts.every((p) => names!.has(p) && !NOT_NAMES.has(p));
}

/** Places that are also surnames ("Elena Washington", "Jack London"): a name word after a first name. */
export function isPlaceSurname(w: string): boolean {
  return PLACE_SURNAMES.has(foldName(w));
}
const PLACE_SURNAMES = new Set(
  "london paris york washington georgia virginia carolina dakota florida nevada indiana montana dublin sydney austin dallas houston phoenix denver boston".split(" "),
);

export function isNotName(w: string): boolean {
  return NOT_NAMES.has(foldName(w));
}

// Words in the list that, capitalized after a context word, are far more often something else: products,
// services, teams, roles, greetings, calendar words, company suffixes.
const NOT_NAMES = new Set(
  (
    // software, services, infrastructure
    "jenkins hudson grafana ruby rust mercury kafka redis nginx docker java python go golang apache loki vault consul " +
    "nomad helm argo istio envoy celery sidekiq django flask rails spring kibana elastic elasticsearch logstash mongo " +
    "cassandra hadoop spark hive flink storm airflow jupyter ansible puppet chef salt terraform packer vagrant nagios " +
    "zabbix sentry datadog splunk pagerduty opsgenie slack teams jira confluence bamboo travis circle circleci drone " +
    "harbor quay nexus sonar sonarqube atlas aurora phoenix apollo hermes athena zeus jupiter saturn neptune pluto " +
    "venus mars orion titan falcon eagle lambda alpha beta gamma delta sigma omega kubernetes linux ubuntu debian " +
    "fedora alpine centos windows mac macos chrome safari firefox edge opera android ios amazon google azure oracle " +
    "mozilla node express tomcat jetty netty boot quarkus akka play sinatra laravel symfony elixir erlang scala " +
    "kotlin swift dart julia perl lua haskell crystal clojure groovy gradle maven ant ivy bazel ninja cargo pip " +
    "poetry conda yarn npm deno bun vite webpack rollup parcel babel jest mocha chai jasmine karma cypress selenium " +
    "playwright puppeteer postman heroku netlify vercel render fly railway supabase firebase twilio stripe paypal " +
    "adyen braintree square shopify magento wordpress drupal ghost hugo jekyll gatsby next nuxt svelte angular react " +
    "vue ember backbone bootstrap tailwind prometheus thanos cortex mimir tempo jaeger zipkin calico cilium flannel " +
    "traefik haproxy varnish squid memcached postgres postgresql mysql mariadb sqlite oracle mssql dynamo dynamodb " +
    "cosmos bigquery snowflake redshift presto trino druid pinot clickhouse influx timescale victoria keda karpenter " +
    "rancher openshift nomad kong tyk linkerd consul etcd zookeeper rabbit rabbitmq pulsar nats kinesis pubsub sqs " +
    "sns lambda fargate ecs eks gke aks cloudflare akamai fastly okta auth0 keycloak dex vaultwarden bitwarden " +
    "github gitlab bitbucket gitea gerrit sourcegraph renovate dependabot snyk trivy falco gatekeeper kyverno " +
    "velero restic borg minio ceph rook longhorn portworx gluster nfs samba " +
    // roles, teams, generic nouns and adjectives
    "team teams support admin administrator customer customers user users client clients service services server " +
    "servers cluster node nodes pod pods error errors warning warnings info debug trace alert alerts status order " +
    "orders payment payments account accounts billing sales finance security platform ops devops sre oncall " +
    "engineering engineer engineers manager managers owner owners staff agent agents bot bots system systems " +
    "operator operators guest guests member members everyone all folks there here friends colleagues sir madam " +
    "madame monsieur mister miss mrs ms mr dr prof herr frau sr sra srta señor señora sig signor signora dott dhr mevr mevrouw meneer dona mme mlle the this that these those our your their his her its " +
    "my we you they it he she and or but for with from by to of in on at as is was are were be new old good great " +
    "best kind warm many happy thanks thank regards cheers hello hi hey dear morning evening afternoon night " +
    "today tomorrow yesterday soon again please note test testing prod production staging stage dev development " +
    "qa demo sandbox local remote main master primary replica leader follower worker workers job jobs task tasks " +
    "queue queues topic topics stream streams event events log logs metric metrics dashboard dashboards report " +
    "reports ticket tickets incident incidents issue issues request requests response responses build builds " +
    "release releases deploy deploys deployment deployments change changes update updates upgrade rollback " +
    "restart restarts reboot backup backups restore cache caches database databases db storage disk disks memory " +
    "cpu network gateway proxy balancer ingress egress router firewall api apis web app apps application " +
    "applications mobile desktop portal console cloud region zone north south east west central global " +
    "corp corporation inc incorporated ltd limited llc plc gmbh ag sa sas sarl bv nv group holdings labs lab " +
    "systems solutions technologies technology software networks consulting partners bank insurance company co " +
    "foundation institute university college school hospital clinic store shop market care success experience relations " +
    "happiness helpdesk desk die kunde kundin klant patient patientin mail email e-mail post phone fax sms chat telefon letter " +
    // incident and config vocabulary ("Root Cause:", "path.data:", "Next Steps:")
    "root cause summary impact timeline action actions item items resolution steps step detection mitigation " +
    "severity priority description title subject body message details detail comment comments reason result " +
    "outcome lesson lessons follow duration start end time date affected path data home name names level port " +
    "host mode type size url file files dir key keys value values enabled timeout retries interval format " +
    "output input level config settings spec meta labels selector template version image tag source target " +
    "rule rules policy role roles scope health check probe ready live state phase reason count total sum rate " +
    "stack frame thread process exception cause caused " +
    // git log headers and sample-code words ("Author: …", "Hello World")
    "author committer reviewer signed world " +
    // HTTP headers and Kubernetes event columns that start lines like a chat speaker ("Cookie: …", "Normal …")
    "cookie accept server location connection origin referer via age vary expires pragma range allow link " +
    "upgrade trailer authorization etag forwarded normal scheduled pulled pulling created started killing " +
    "unhealthy backoff failed evicted preempted events conditions annotations namespace ports containers " +
    "volumes mounts limits environment args command restart tolerations " +
    "plan apply destroy cron misc todo fixme hint usage example examples step answer question problem solution " +
    "workaround fix fixed done pending open closed resolved acknowledged triggered firing ok yes no maybe " +
    // calendar
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august " +
    "september october november december jan feb mar apr jun jul aug sep sept oct nov dec summer winter autumn " +
    "spring fall easter christmas " +
    // place and misc words that read as names
    "street road avenue lane drive court way place city town county state country london paris berlin york " +
    "amsterdam dublin frankfurt tokyo sydney singapore mumbai delhi virginia ohio oregon california texas georgia " +
    "carolina dakota washington florida nevada arizona montana indiana"
  ).split(" "),
);
