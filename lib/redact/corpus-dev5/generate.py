#!/usr/bin/env python3
"""Seeded generator for corpus-dev5 (see README.md). Run: python3 generate.py <out-dir>

Written for round 5 BEFORE its fixes: new name pools (many countries, diacritics, hyphenated and multi-part
surnames, "Last, First", lowercase), names after cc:/assigned to/on behalf of/greetings/sign-offs and in JSON
fields of many key spellings, postal addresses in 14 countries' formats (single and multi-line, JSON-escaped \\n,
PO boxes, flats), dates of birth in many formats and languages, key=value secrets in many spellings, non-Bearer
Authorization schemes, vendor-prefixed API keys, session cookies and prose passwords in several languages.
About a third of the records hold only look-alikes (pii: [])."""
import json, random, sys, string, uuid, os, hashlib

R = random.Random(20270115)
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

def pick(xs): return R.choice(xs)
def hexs(n): return "".join(R.choice("0123456789abcdef") for _ in range(n))
def alnum(n, chars=string.ascii_letters + string.digits): return "".join(R.choice(chars) for _ in range(n))
def digits(n): return "".join(R.choice("0123456789") for _ in range(n))
def ts(): return f"2027-{R.randint(1,12):02d}-{R.randint(1,28):02d}T{R.randint(0,23):02d}:{R.randint(0,59):02d}:{R.randint(0,59):02d}Z"
def hm(): return f"{R.randint(7,19):02d}:{R.randint(0,59):02d}"
def uid(): return str(uuid.UUID(int=R.getrandbits(128), version=4))
def tid(): return f"{pick(['INC','SUP','CS','OPS','HD'])}-{R.randint(1000,99999)}"
SVC = ["billing-api", "orders", "kyc-service", "shipping-worker", "crm-sync", "identity", "notifications", "refunds", "ledger-writer"]
def priv4(): return pick([f"10.{R.randint(0,255)}.{R.randint(0,255)}.{R.randint(1,254)}", f"192.168.{R.randint(0,255)}.{R.randint(1,254)}", f"172.{R.randint(16,31)}.{R.randint(0,255)}.{R.randint(1,254)}"])

# ---------- people: new pools (none of these pairs appear in the earlier corpora) ----------
PEOPLE = {
 "PL": [("Agnieszka","Wiśniewska"),("Krzysztof","Zieliński"),("Małgorzata","Kamińska-Nowak"),("Paweł","Wójcik"),("Zofia","Lewandowska")],
 "CZ": [("Tomáš","Dvořák"),("Petra","Nováková"),("Jiří","Černý")],
 "HU": [("Bence","Szabó"),("Eszter","Kovács"),("Zoltán","Horváth")],
 "TR": [("Emre","Yılmaz"),("Elif","Şahin"),("Mehmet","Demir")],
 "SE": [("Linnea","Lindqvist"),("Erik","Söderström"),("Astrid","Håkansson")],
 "NO": [("Ingrid","Bjørnstad"),("Henrik","Aasen")],
 "DK": [("Mette","Frederiksen-Lund"),("Søren","Kjær")],
 "FI": [("Aino","Virtanen"),("Juhani","Mäkinen")],
 "IE": [("Aoife","Ní Bhriain"),("Cian","Ó Súilleabháin"),("Niamh","Fitzgerald"),("Ciarán","MacGiolla")],
 "PT": [("Inês","Carvalho Mendes"),("Rui","Gonçalves")],
 "GR": [("Dimitris","Papadopoulos"),("Eleni","Georgiou")],
 "RO": [("Andreea","Popescu"),("Mihai","Ionescu")],
 "NG": [("Chinedu","Okafor"),("Ngozi","Adeyemi"),("Oluwaseun","Balogun")],
 "KE": [("Wanjiru","Kamau"),("Otieno","Odhiambo")],
 "ZA": [("Thabo","Mokoena"),("Lerato","van der Merwe")],
 "CN": [("Wei","Zhang"),("Xiaoling","Chen"),("Jun","Liu")],
 "KR": [("Minji","Park"),("Seo-yeon","Kim"),("Jae-won","Choi")],
 "VN": [("Thi Lan","Nguyen"),("Minh","Tran")],
 "MX": [("Guadalupe","Hernández Ruiz"),("Alejandro","Martínez de la Cruz"),("Ximena","Orozco")],
 "AR": [("Valentina","Giménez"),("Santiago","Fernández Sosa")],
 "RU": [("Dmitri","Volkov"),("Yekaterina","Smirnova")],
 "AR2": [("Fatima","Al-Hashimi"),("Omar","El-Sayed"),("Layla","Haddad")],
 "IL": [("Noa","Ben-David"),("Yosef","Mizrahi")],
 "US": [("Brittany","Caldwell"),("DeShawn","Whitaker"),("Kaitlyn","O'Malley"),("Trevor","Lindgren")],
 "UK": [("Imogen","Ashworth"),("Rhys","Pritchard"),("Fiona","McTavish")],
 "DE": [("Maximilian","Schäfer"),("Hannelore","Brückner"),("Jan-Niklas","Weißenborn")],
 "FR": [("Anaïs","Lemaire"),("Gaël","Chevallier"),("Éloïse","Du Pont")],
 "IT": [("Chiara","Ferraro"),("Gianluca","De Luca")],
 "ES": [("Nerea","Etxeberria"),("Íñigo","Sánchez-Vidal")],
 "NL": [("Bram","van Dijk"),("Lotte","de Graaf")],
 "IN": [("Ananya","Raghunathan"),("Vikram","Chatterjee"),("Deepika","Nair")],
 "BR": [("Thaís","Albuquerque"),("Gustavo","dos Santos Lima")],
 "JP": [("Sakura","Yamamoto"),("Daichi","Nakamura")],
}
COUNTRIES = list(PEOPLE)
def person(c=None):
    c = c or pick(COUNTRIES)
    f, l = pick(PEOPLE[c]); return c, f, l
TR_ASCII = {ord(a): b for a, b in zip("áàâãäåçčďéèêëěíìîïľłńňñóòôõöøřśšťúùûüůýžźżæıİşğőű", "aaaaaaccdeeeeeiiiillnnnoooooorsstuuuuuyzzzaiisgou")}
def ascii_name(x): return x.translate(TR_ASCII).replace("'", "").replace(" ", "")
def email_for(f, l):
    dom = pick(["gmail.com","outlook.com","wp.pl","seznam.cz","telia.se","eircom.net","yahoo.com.mx","naver.com","hotmail.fr","gmx.de","proton.me"])
    return f"{ascii_name(f).lower()}.{ascii_name(l.split()[-1]).lower()}{R.randint(1,99)}@{dom}"

# ---------- addresses: (text, country) ----------
def address(c=None, multiline=False):
    c = c or pick(["US","UK","IE","FR","DE","ES","IT","NL","PL","SE","NO","DK","FI","IN","BR","MX","JP"])
    sep = "\n" if multiline else ", "
    if c == "US":
        a = pick([
            f"{R.randint(100,9899)} {pick(['Maple','Chestnut','Willow Creek','Lakeview','Sycamore','Magnolia'])} {pick(['Ave','Street','Dr','Blvd','Ct','Lane'])}{pick(['',' Apt '+str(R.randint(1,40))+pick(['A','B','']),' Unit '+str(R.randint(1,300)),' #'+str(R.randint(2,900))])}{sep}{pick(['Columbus, OH 43215','Boise, ID 83702','Tucson, AZ 85719','Raleigh, NC 27601','Madison, WI 53703'])}",
            f"PO Box {R.randint(100,99999)}{sep}{pick(['Anchorage, AK 99501','Santa Fe, NM 87501','Burlington, VT 05401'])}",
            f"{R.randint(10,999)} {pick(['W','E','N','S'])} {R.randint(2,99)}th St{pick(['',', Apt '+str(R.randint(1,20))+'C'])}{sep}New York, NY 100{R.randint(10,40)}",
        ])
    elif c == "UK":
        a = pick([
            f"Flat {R.randint(1,30)}{sep}{R.randint(1,200)} {pick(['Albert Road','Queensway','Victoria Crescent','Mill Lane','Church Street'])}{sep}{pick(['Leeds LS6 1AB','Bristol BS8 4QT','Glasgow G12 8QQ','Norwich NR2 3LS'])}",
            f"{R.randint(1,99)} {pick(['Kingsway','Hawthorn Close','Elm Grove','Station Road'])}{sep}{pick(['Cardiff','Reading','Exeter'])}{sep}{pick(['CF10 3AH','RG1 1DX','EX4 4QJ'])}",
            f"{pick(['Rose Cottage','The Old Rectory','Ivy House'])}{sep}{pick(['High Street','Back Lane'])}{sep}{pick(['Much Wenlock TF13 6AA','Bampton OX18 2JH'])}",
        ])
    elif c == "IE":
        a = pick([
            f"{R.randint(1,90)} {pick(['Grafton Street','Harcourt Road','Merrion Square'])}{sep}Dublin {R.randint(1,24)}{sep}D0{R.randint(1,9)} {pick(['XY45','K7P2','F6R8'])}",
            f"Apt {R.randint(1,60)}, {pick(['The Maltings','Riverside Court'])}{sep}{pick(['Bray, Co. Wicklow','Ennis, Co. Clare','Tralee, Co. Kerry'])}{sep}{pick(['A98 K2T3','V95 X2E4','V92 R6C1'])}",
        ])
    elif c == "FR":
        a = pick([
            f"{R.randint(1,140)} rue des {pick(['Lilas','Tanneurs','Carmes','Écoles'])}{sep}{pick(['69003 Lyon','31000 Toulouse','33000 Bordeaux','67000 Strasbourg'])}",
            f"Appartement {R.randint(1,40)}, {R.randint(1,200)} boulevard {pick(['Voltaire','Haussmann','Gambetta'])}{sep}750{R.randint(10,20)} Paris",
            f"BP {R.randint(10,900)}{sep}{pick(['13002 Marseille','59000 Lille'])} Cedex",
            f"{R.randint(2,60)} bis, allée des {pick(['Pins','Acacias'])}{sep}{pick(['44000 Nantes','06000 Nice'])}",
        ])
    elif c == "DE":
        a = pick([
            f"{pick(['Lindenstraße','Schillerstr.','Bahnhofstraße','Kastanienallee','Rosenweg'])} {R.randint(1,120)}{pick(['','a','b'])}{sep}{pick(['50674 Köln','80331 München','04109 Leipzig','01067 Dresden'])}",
            f"Karl-Marx-Allee {R.randint(1,140)}{sep}10243 Berlin",
            f"Postfach {R.randint(10,99)} {R.randint(10,99)} {R.randint(10,99)}{sep}{pick(['20001 Hamburg','70001 Stuttgart'])}",
            f"{pick(['Am Lindenhof','Im Winkel','An der Alster'])} {R.randint(1,40)}{sep}{pick(['20099 Hamburg','33602 Bielefeld'])}",
        ])
    elif c == "ES":
        a = pick([
            f"Calle de {pick(['Serrano','Toledo','Atocha'])} {R.randint(1,200)}, {R.randint(1,9)}º {pick(['A','B','C','Izq.','Dcha.'])}{sep}280{R.randint(10,50)} Madrid",
            f"Avenida de la {pick(['Constitución','Libertad'])} {R.randint(1,90)}{sep}{pick(['41004 Sevilla','46002 Valencia'])}",
            f"Carrer de {pick(['Mallorca','Provença','Sants'])}, {R.randint(1,400)}, {R.randint(1,6)}-{R.randint(1,4)}{sep}080{R.randint(10,40)} Barcelona",
        ])
    elif c == "IT":
        a = pick([
            f"Via {pick(['Garibaldi','Mazzini','Cavour','dei Mille'])} {R.randint(1,150)}{sep}{pick(['10122 Torino TO','40121 Bologna BO','50123 Firenze FI'])}",
            f"Corso Vittorio Emanuele II {R.randint(1,300)}{sep}80121 Napoli",
            f"Piazza {pick(['della Repubblica','San Marco'])} {R.randint(1,30)}, int. {R.randint(1,20)}{sep}{pick(['00185 Roma','30124 Venezia'])}",
        ])
    elif c == "NL":
        a = pick([
            f"{pick(['Prinsengracht','Herengracht','Lange Voorhout','Oudegracht'])} {R.randint(1,600)}{pick(['','-II','A','-3'])}{sep}{pick(['1016 GV Amsterdam','2514 ED Den Haag','3511 AL Utrecht'])}",
            f"Postbus {R.randint(100,9999)}{sep}{pick(['3000 BA Rotterdam','5600 AA Eindhoven'])}",
        ])
    elif c == "PL":
        a = pick([
            f"ul. {pick(['Marszałkowska','Długa','Piotrkowska','Floriańska'])} {R.randint(1,150)}{pick(['','/'+str(R.randint(1,40)),' m. '+str(R.randint(1,60))])}{sep}{pick(['00-514 Warszawa','80-831 Gdańsk','90-102 Łódź','31-019 Kraków'])}",
            f"al. {pick(['Jerozolimskie','Niepodległości'])} {R.randint(1,200)}/{R.randint(1,90)}{sep}{pick(['00-697 Warszawa','61-714 Poznań'])}",
        ])
    elif c == "SE":
        a = f"{pick(['Drottninggatan','Storgatan','Vasagatan','Kungsgatan'])} {R.randint(1,120)}{pick(['',' lgh 1102',' 3 tr'])}{sep}{pick(['111 21 Stockholm','411 03 Göteborg','211 22 Malmö'])}"
    elif c == "NO":
        a = f"{pick(['Karl Johans gate','Storgata','Thorvald Meyers gate'])} {R.randint(1,80)}{pick(['',' H0203'])}{sep}{pick(['0159 Oslo','0555 Oslo','5003 Bergen'])}"
    elif c == "DK":
        a = f"{pick(['Nørrebrogade','Vesterbrogade','Østergade'])} {R.randint(1,200)}, {R.randint(1,5)}. {pick(['th.','tv.','mf.'])}{sep}{pick(['2200 København N','1620 København V','8000 Aarhus C'])}"
    elif c == "FI":
        a = f"{pick(['Mannerheimintie','Hämeenkatu','Aleksanterinkatu'])} {R.randint(1,90)} {pick(['B','A','C'])} {R.randint(1,40)}{sep}{pick(['00100 Helsinki','33100 Tampere'])}"
    elif c == "IN":
        a = pick([
            f"{R.randint(1,99)}, {R.randint(1,12)}th Cross, {pick(['Indiranagar','Jayanagar 4th Block','Koramangala 5th Block'])}{sep}Bengaluru {pick(['560038','560011','560095'])}",
            f"{pick(['B','C','D'])}-{R.randint(101,1204)}, {pick(['Shanti','Lokhandwala','Hiranandani'])} {pick(['Apartments','Towers','Heights'])}{sep}{pick(['Andheri East','Powai','Thane West'])}{sep}Mumbai - 400{R.randint(10,99):03d}",
            f"H.No. {R.randint(1,30)}-{R.randint(1,9)}-{R.randint(100,999)}, {pick(['Banjara Hills','Kukatpally'])}, Hyderabad, Telangana 5000{R.randint(10,99)}",
        ])
    elif c == "BR":
        a = pick([
            f"Rua {pick(['das Flores','Sete de Setembro','XV de Novembro'])}, {R.randint(1,2000)}{pick(['',' - apto '+str(R.randint(11,150)),', bloco B, ap. '+str(R.randint(11,99))])}{sep}{pick(['Curitiba - PR','Porto Alegre - RS','Recife - PE'])}, {R.randint(10000,99999)}-{R.randint(0,999):03d}",
            f"Av. {pick(['Brigadeiro Faria Lima','Rio Branco'])}, {R.randint(100,4000)}, {pick(['conj. 52','sala 1203'])}{sep}{pick(['São Paulo - SP','Rio de Janeiro - RJ'])}{sep}CEP {R.randint(10000,29999)}-{R.randint(0,999):03d}",
        ])
    elif c == "MX":
        a = pick([
            f"Av. Insurgentes Sur {R.randint(100,3000)}, Col. {pick(['Crédito Constructor','Del Valle','Roma Norte'])}{sep}0{R.randint(1000,9999)} Ciudad de México, CDMX",
            f"Calle {pick(['5 de Mayo','Hidalgo','Morelos'])} {R.randint(1,300)}{pick(['',' Int. 4',' Depto. 12'])}, {pick(['Centro','Col. Americana'])}{sep}{pick(['06000 Ciudad de México','44160 Guadalajara, Jal.','64000 Monterrey, N.L.'])}",
        ])
    else:  # JP
        a = pick([
            f"{R.randint(1,9)}-{R.randint(1,30)}-{R.randint(1,20)} {pick(['Jingumae','Ebisu','Nishi-Shinjuku'])}{sep}{pick(['Shibuya-ku','Shinjuku-ku'])}, Tokyo {R.randint(100,199)}-{R.randint(0,9999):04d}",
            f"〒{R.randint(100,999)}-{R.randint(0,9999):04d} {pick(['東京都千代田区丸の内','大阪府大阪市北区梅田','京都府京都市中京区'])}{R.randint(1,9)}-{R.randint(1,20)}-{R.randint(1,9)}",
        ])
    return a, c

# ---------- dates of birth ----------
MONTHS = {
 "en": ["January","February","March","April","May","June","July","August","September","October","November","December"],
 "fr": ["janvier","février","mars","avril","mai","juin","juillet","août","septembre","octobre","novembre","décembre"],
 "de": ["Januar","Februar","März","April","Mai","Juni","Juli","August","September","Oktober","November","Dezember"],
 "es": ["enero","febrero","marzo","abril","mayo","junio","julio","agosto","septiembre","octubre","noviembre","diciembre"],
 "it": ["gennaio","febbraio","marzo","aprile","maggio","giugno","luglio","agosto","settembre","ottobre","novembre","dicembre"],
 "pl": ["stycznia","lutego","marca","kwietnia","maja","czerwca","lipca","sierpnia","września","października","listopada","grudnia"],
 "pt": ["janeiro","fevereiro","março","abril","maio","junho","julho","agosto","setembro","outubro","novembro","dezembro"],
}
def ymd(): return R.randint(1944, 2006), R.randint(1, 12), R.randint(1, 28)
def dob_phrase():
    y, m, d = ymd()
    en = MONTHS["en"][m-1]
    choices = [
        (f"DOB: {m:02d}/{d:02d}/{y}", f"{m:02d}/{d:02d}/{y}"),
        (f"D.O.B. {d:02d}.{m:02d}.{y}", f"{d:02d}.{m:02d}.{y}"),
        (f"date of birth {y}-{m:02d}-{d:02d}", f"{y}-{m:02d}-{d:02d}"),
        (f"born on {en} {d}, {y}", f"{en} {d}, {y}"),
        (f"born {d} {en[:3]} {y}", f"{d} {en[:3]} {y}"),
        (f"dob {d:02d}-{en[:3].upper()}-{y}", f"{d:02d}-{en[:3].upper()}-{y}"),
        (f"DOB {y}/{m:02d}/{d:02d}", f"{y}/{m:02d}/{d:02d}"),
        (f"birthday: {d} {en} {y}", f"{d} {en} {y}"),
        (f"Geburtsdatum: {d:02d}.{m:02d}.{y}", f"{d:02d}.{m:02d}.{y}"),
        (f"geboren am {d}. {MONTHS['de'][m-1]} {y}", f"{d}. {MONTHS['de'][m-1]} {y}"),
        (f"né le {d} {MONTHS['fr'][m-1]} {y}", f"{d} {MONTHS['fr'][m-1]} {y}"),
        (f"date de naissance : {d:02d}/{m:02d}/{y}", f"{d:02d}/{m:02d}/{y}"),
        (f"fecha de nacimiento: {d} de {MONTHS['es'][m-1]} de {y}", f"{d} de {MONTHS['es'][m-1]} de {y}"),
        (f"nacida el {d:02d}/{m:02d}/{y}", f"{d:02d}/{m:02d}/{y}"),
        (f"data di nascita: {d} {MONTHS['it'][m-1]} {y}", f"{d} {MONTHS['it'][m-1]} {y}"),
        (f"data de nascimento {d:02d}/{m:02d}/{y}", f"{d:02d}/{m:02d}/{y}"),
        (f"geboortedatum: {d:02d}-{m:02d}-{y}", f"{d:02d}-{m:02d}-{y}"),
        (f"data urodzenia: {d} {MONTHS['pl'][m-1]} {y}", f"{d} {MONTHS['pl'][m-1]} {y}"),
        (f"urodzony {d:02d}.{m:02d}.{y}", f"{d:02d}.{m:02d}.{y}"),
        (f"födelsedatum {y}-{m:02d}-{d:02d}", f"{y}-{m:02d}-{d:02d}"),
        (f"fødselsdato: {d:02d}.{m:02d}.{y}", f"{d:02d}.{m:02d}.{y}"),
        (f"syntymäaika {d}.{m}.{y}", f"{d}.{m}.{y}"),
        (f"doğum tarihi: {d:02d}.{m:02d}.{y}", f"{d:02d}.{m:02d}.{y}"),
        (f"生年月日: {y}年{m}月{d}日", f"{y}年{m}月{d}日"),
        (f"DOB {d}{['st','nd','rd'][d-1] if d<=3 else 'th'} {en} {y}", f"{d}{['st','nd','rd'][d-1] if d<=3 else 'th'} {en} {y}"),
        (f"b. {d:02d}/{m:02d}/{y}", f"{d:02d}/{m:02d}/{y}"),
        (f"Date of Birth: {en[:3]}. {d}, {y}", f"{en[:3]}. {d}, {y}"),
        (f"dob={y}{m:02d}{d:02d}", f"{y}{m:02d}{d:02d}"),
    ]
    return pick(choices)

# ---------- secrets ----------
def pw(): return pick([alnum(R.randint(10, 18)), alnum(6) + pick("!#%*-_@") + alnum(5), pick(["Winter","Sommer","Tigre","Kasztan","Sol"]) + str(R.randint(10,99)) + pick("!#$%") + alnum(3)])
def b64(n): return alnum(n, string.ascii_letters + string.digits + "+/")
VENDOR = [
    lambda: "sk_live_" + alnum(32), lambda: "rk_live_" + alnum(28), lambda: "sk-proj-" + alnum(48, string.ascii_letters + string.digits + "_-"),
    lambda: "sk-ant-api03-" + alnum(80, string.ascii_letters + string.digits + "_-") + "AA",
    lambda: "glpat-" + alnum(20), lambda: "AIza" + alnum(35, string.ascii_letters + string.digits + "_-"),
    lambda: "SG." + alnum(22) + "." + alnum(43), lambda: "npm_" + alnum(36), lambda: "hf_" + alnum(34),
    lambda: "key-" + hexs(32),  # Mailgun
    lambda: hexs(32) + "-us" + str(R.randint(1, 21)),  # Mailchimp
    lambda: "lin_api_" + alnum(40),  # Linear
    lambda: "ntn_" + digits(11) + alnum(35),  # Notion
    lambda: "secret_" + alnum(43),  # Notion (old)
    lambda: "dapi" + hexs(32),  # Databricks
    lambda: "NRAK-" + alnum(27, string.ascii_uppercase + string.digits),  # New Relic
    lambda: "sntrys_" + alnum(60),  # Sentry
    lambda: "gsk_" + alnum(52),  # Groq
    lambda: "r8_" + alnum(37),  # Replicate
    lambda: "pplx-" + alnum(48),  # Perplexity
    lambda: "tskey-auth-" + alnum(12) + "-" + alnum(32),  # Tailscale
    lambda: "pul-" + hexs(40),  # Pulumi
    lambda: alnum(14) + ".atlasv1." + alnum(60),  # Terraform Cloud
    lambda: "dp.st." + alnum(8, string.ascii_lowercase) + "." + alnum(40),  # Doppler
    lambda: "PMAK-" + hexs(24) + "-" + hexs(34),  # Postman
    lambda: "CFPAT-" + alnum(43),  # Contentful
    lambda: "figd_" + alnum(40, string.ascii_letters + string.digits + "_-"),  # Figma
    lambda: "xkeysib-" + hexs(64) + "-" + alnum(16),  # Brevo
    lambda: "pscale_tkn_" + alnum(43),  # PlanetScale
    lambda: "dt0c01." + alnum(24, string.ascii_uppercase + string.digits) + "." + alnum(64, string.ascii_uppercase + string.digits),  # Dynatrace
    lambda: "ATATT3xFfGF0" + alnum(180, string.ascii_letters + string.digits + "_-") + "=" + hexs(8).upper(),  # Atlassian
    lambda: "rzp_live_" + alnum(14),  # Razorpay
    lambda: "FLWSECK-" + hexs(32) + "-X",  # Flutterwave
    lambda: "sq0csp-" + alnum(43, string.ascii_letters + string.digits + "_-"),  # Square
    lambda: "EAAA" + alnum(60, string.ascii_letters + string.digits + "_-"),  # Square access token
    lambda: "shpat_" + hexs(32), lambda: "dop_v1_" + hexs(64),
    lambda: "sbp_" + hexs(40),  # Supabase
    lambda: "nfp_" + alnum(36),  # Netlify
    lambda: "fo1_" + alnum(43, string.ascii_letters + string.digits + "_-"),  # Fly.io
    lambda: "bkua_" + hexs(40),  # Buildkite
    lambda: "glsa_" + alnum(32) + "_" + hexs(8),
    lambda: "LTAI" + alnum(20),  # Alibaba
    lambda: str(R.randint(100000000, 9999999999)) + ":AA" + alnum(33, string.ascii_letters + string.digits + "_-"),  # Telegram bot
]
def vendor(): return VENDOR[R.randrange(len(VENDOR))]()

# ================= records =================
records = {}
def add(fname, text, pii, tags, template):
    for l in pii:
        assert l["value"] in text, (template, l, text)
        assert l["value"] == l["value"].strip(), (template, l)
    records.setdefault(fname, []).append({"text": text, "pii": pii, "tags": tags, "template": template})
def L(t, v): return {"type": t, "value": v}
def J(o): return json.dumps(o, ensure_ascii=False, separators=(",", ":"))
def Jp(o): return json.dumps(o, ensure_ascii=False)

def full(f, l, style=None):
    style = style or pick(["fl", "fl", "fl", "lf"])
    return f"{l}, {f}" if style == "lf" else f"{f} {l}"

# ---- names in prose and mail ----
def t_name_mail():
    c, f, l = person(); n = full(f, l, "fl")
    c2, f2, l2 = person(); n2 = full(f2, l2)
    k = R.randrange(12)
    if k == 0:
        t = f"Hi {f},\n\nthe refund for order #{digits(7)} was approved today.\n\nRegards,\n{n2}\nCustomer Care"; pii = [L("person_name", f), L("person_name", n2)]
    elif k == 1:
        t = f"Dear {n},\nyour ticket {tid()} has been escalated. We will reply within 24h.\n--\n{n2}\nTier 2 Support"; pii = [L("person_name", n), L("person_name", n2)]
    elif k == 2:
        t = f"From: {n2}\nTo: support\ncc: {n}\nSubject: Re: invoice dispute {tid()}\n\nPlease check the attached statement."; pii = [L("person_name", n2), L("person_name", n)]
    elif k == 3:
        t = f"Thanks {f}! I'll push the fix tonight.\n\nCheers,\n{f2}"; pii = [L("person_name", f), L("person_name", f2)]
    elif k == 4:
        t = f"Bonjour {f},\nmerci pour votre retour. Le colis est reparti ce matin.\nCordialement,\n{n2}"; pii = [L("person_name", f), L("person_name", n2)]
    elif k == 5:
        t = f"Hallo {n},\nIhr Antrag wurde bearbeitet.\nMit freundlichen Grüßen\n{n2}"; pii = [L("person_name", n), L("person_name", n2)]
    elif k == 6:
        t = f"Hola {f}, gracias por escribirnos. Un saludo, {n2}"; pii = [L("person_name", f), L("person_name", n2)]
    elif k == 7:
        t = f"Sent on behalf of {n} by the billing desk. Reference {tid()}."; pii = [L("person_name", n)]
    elif k == 8:
        t = f"cc: {n}, {n2}\nForwarding the customer's complaint about the double charge."; pii = [L("person_name", n), L("person_name", n2)]
    elif k == 9:
        t = f"Best regards,\n{n}\nSenior Account Manager | +{R.randint(30,49)} {digits(3)} {digits(3)} {digits(3)}"
        pii = [L("person_name", n), L("phone", t.split("| ")[1])]
    elif k == 10:
        t = f"Hej {f}!\nTack för ditt meddelande.\nMed vänliga hälsningar,\n{n2}"; pii = [L("person_name", f), L("person_name", n2)]
    else:
        t = f"Dzień dobry {f},\nw załączniku faktura.\nPozdrawiam,\n{n2}"; pii = [L("person_name", f), L("person_name", n2)]
    add("emails", t, pii, ["name_mail", f"country_{c.lower()}"], f"name_mail_{k}")

def t_name_ticket():
    c, f, l = person(); n = full(f, l)
    k = R.randrange(14)
    if k == 0: t = f"{tid()} assigned to {n} (L2). Status: In progress"
    elif k == 1: t = f"Ticket {tid()} reassigned from queue EMEA to {n}"
    elif k == 2: t = f"Escalation: requested by {n}, approved by duty manager."
    elif k == 3: t = f"Reporter: {n}\nPriority: P3\nComponent: {pick(SVC)}\nSummary: cannot download invoices"
    elif k == 4: t = f"Assignee: {n} | Watchers: 3 | Labels: billing, refund"
    elif k == 5: t = f"Caller {n} says the OTP SMS never arrives."
    elif k == 6: t = f"Spoke with {n} over the phone; the card was blocked by mistake."
    elif k == 7: t = f"Customer: {n} — wants the account closed and data deleted (GDPR art. 17)."
    elif k == 8: t = f"Opened by {n} via web form at {hm()}."
    elif k == 9: t = f"Account owner {n} confirmed the change of plan."
    elif k == 10: t = f"Per {n}, the shipment left the warehouse yesterday."
    elif k == 11: t = f"Handover note: {n} will take over the case from Monday."
    elif k == 12: t = f"Requester — {n}; Approver — {pick(['finance-ops','CFO office'])}"
    else: t = f"Kontakt: {n}, tel. na końcu notatki."
    add("tickets", t, [L("person_name", n)], ["name_ticket", f"country_{c.lower()}"] + (["last_first"] if ", " in n else []), f"name_ticket_{k}")

def t_name_chat():
    c, f, l = person(); n = full(f, l, "fl")
    k = R.randrange(8)
    if k == 0: t = f"[{hm()}] {n}: anyone seen the 502s on checkout?"; pii = [L("person_name", n)]
    elif k == 1: t = f"{hm()} <{n}> deploying {pick(SVC)} now"; pii = [L("person_name", n)]
    elif k == 2:
        h = f"{ascii_name(f).lower()}.{ascii_name(l.split()[-1]).lower()}"
        t = f"@{h} can you approve the refund in the admin panel?"; pii = [L("person_name", h)]
    elif k == 3: t = f"thanks {f.lower()}, that fixed it"; pii = [L("person_name", f.lower())]
    elif k == 4:
        nl = n.lower(); t = f"assigned to {nl} for follow-up"; pii = [L("person_name", nl)]
    elif k == 5: t = f"{n} joined the channel #incident-{R.randint(100,999)}"; pii = [L("person_name", n)]
    elif k == 6: t = f"ok, I'll loop in {n} from legal"; pii = [L("person_name", n)]
    else: t = f"{n} (she/her) requested access to #billing-private"; pii = [L("person_name", n)]
    add("chat", t, pii, ["name_chat", f"country_{c.lower()}"], f"name_chat_{k}")

NAME_KEYS = ["customerName", "contact_name", "holder", "recipient", "assignee", "reporter", "requested_by", "fullName",
             "display_name", "owner_name", "accountHolder", "passengerName", "beneficiary", "CustomerName", "client_full_name",
             "cardHolderName", "nombre", "nom_complet", "patient", "signer", "driverName", "contactPerson", "submitted_by"]
def t_name_json():
    c, f, l = person(); n = full(f, l, "fl")
    k = R.randrange(8)
    if k == 0:
        key = pick(NAME_KEYS); t = J({"id": uid(), key: n, "status": pick(["open", "pending", "closed"])}); pii = [L("person_name", n)]
    elif k == 1:
        obj = pick(["customer", "user", "contact", "owner", "recipient"])
        t = J({"event": pick(["order.created", "user.updated", "ticket.closed"]), obj: {"id": R.randint(1000, 99999), "name": n, "tier": pick(["gold", "free"])}}); pii = [L("person_name", n)]
    elif k == 2:
        t = J({"firstName": f, "lastName": l, "locale": pick(["pl-PL", "sv-SE", "es-MX", "en-IE"])}); pii = [L("person_name", f), L("person_name", l)]
    elif k == 3:
        t = f"{ts()} INFO {pick(SVC)} payout created beneficiary_name=\"{n}\" amount={R.randint(10,900)}.00 currency=EUR"; pii = [L("person_name", n)]
    elif k == 4:
        t = f"{ts()} DEBUG crm upsert contact={{name='{n}', segment='smb'}}"; pii = [L("person_name", n)]
    elif k == 5:
        t = Jp({"ticket": tid(), "requested_by": {"name": n, "team": "finance"}, "assignee": {"display_name": full(*person()[1:], "fl")}})
        pii = [L("person_name", n), L("person_name", json.loads(t)["assignee"]["display_name"])]
    elif k == 6:
        t = f"name: {n}\nemail: {email_for(f, l)}\nrole: viewer"; pii = [L("person_name", n), L("email", t.split("email: ")[1].split("\n")[0])]
    else:
        key = pick(["customer_name", "holder", "recipient", "reporter"]); nl = n.lower()
        t = J({key: nl, "source": "import-csv"}); pii = [L("person_name", nl)]
    add("json-lines", t, pii, ["name_json", f"country_{c.lower()}"], f"name_json_{k}")

# ---- addresses ----
def t_address():
    a, c = address(multiline=R.random() < 0.35)
    multi = "\n" in a
    c2, f, l = person(); n = f"{f} {l}"
    k = R.randrange(10)
    if k == 0: t = f"Ship to:\n{n}\n{a}"; pii = [L("person_name", n), L("postal_address", a)]
    elif k == 1:
        key = pick(["shipping_address", "billingAddress", "address", "deliveryAddress", "mailing_address", "homeAddress", "addr"])
        t = J({"order": digits(8), key: a}); v = json.dumps(a, ensure_ascii=False)[1:-1]; pii = [L("postal_address", v)]
    elif k == 2: t = f"Customer moved, new address is {a.replace(chr(10), ', ')}. Please update CRM."; pii = [L("postal_address", a.replace("\n", ", "))]
    elif k == 3: t = f"{ts()} INFO label printed for order {digits(9)} dest=\"{a.replace(chr(10), ', ')}\" carrier={pick(['DHL','UPS','PostNL','InPost','Correos'])}"; pii = [L("postal_address", a.replace("\n", ", "))]
    elif k == 4: t = f"Return address: {a}"; pii = [L("postal_address", a)]
    elif k == 5: t = f"{n}\n{a}"; pii = [L("person_name", n), L("postal_address", a)]
    elif k == 6: t = f"Please send the replacement to {a.replace(chr(10), ', ')} — the customer is home after 5pm."; pii = [L("postal_address", a.replace("\n", ", "))]
    elif k == 7:
        t = J({"customer": {"name": n, "address": {"line": a}}}); v = json.dumps(a, ensure_ascii=False)[1:-1]; pii = [L("person_name", n), L("postal_address", v)]
    elif k == 8: t = f"Adresse de livraison : {a}" if c == "FR" else f"Lieferadresse: {a}" if c == "DE" else f"Dirección: {a}" if c in ("ES", "MX") else f"Delivery address: {a}"; pii = [L("postal_address", a)]
    else: t = f"Invoice recipient {n}, {a.replace(chr(10), ', ')}"; pii = [L("person_name", n), L("postal_address", a.replace("\n", ", "))]
    add("tickets" if k in (0, 2, 4, 5, 6, 8, 9) else "json-lines" if k in (1, 7) else "app-logs", t, pii, ["address", f"address_{c.lower()}"] + (["multiline-address"] if multi else []), f"address_{k}")

# ---- dates of birth ----
def t_dob():
    phrase, v = dob_phrase()
    c, f, l = person(); n = f"{f} {l}"
    k = R.randrange(6)
    if k == 0: t = f"KYC check for {n}, {phrase}, document verified."; pii = [L("person_name", n), L("date_of_birth", v)]
    elif k == 1: t = f"{ts()} WARN kyc-service mismatch: {phrase} does not match ID document"; pii = [L("date_of_birth", v)]
    elif k == 2: t = f"Patient {n} ({phrase}) rescheduled."; pii = [L("person_name", n), L("date_of_birth", v)]
    elif k == 3:
        key = pick(["dob", "dateOfBirth", "birth_date", "birthDate", "DOB", "date_of_birth", "birthdate", "fecha_nacimiento", "geburtsdatum", "data_nascita"])
        y, m, d = ymd(); val = pick([f"{y}-{m:02d}-{d:02d}", f"{d:02d}/{m:02d}/{y}", f"{m}/{d}/{y}", f"{d:02d}.{m:02d}.{y}"])
        t = J({"customer_id": R.randint(10000, 99999), key: val, "country": c}); pii = [L("date_of_birth", val)]
    elif k == 4: t = f"Verified caller with {phrase} and postcode."; pii = [L("date_of_birth", v)]
    else: t = f"{phrase}"[0].upper() + f"{phrase}"[1:] + f" — {n}"; pii = [L("date_of_birth", v), L("person_name", n)]
    add("tickets" if k in (0, 2, 4, 5) else "app-logs" if k == 1 else "json-lines", t, pii, ["dob", f"dob_{k}"], f"dob_{k}")

# ---- secrets ----
KV_KEYS = ["DB_PASS", "db.password", "spring.datasource.password", "PASSWORD", "Passwd", "pass_word", "secretKey", "client-secret",
           "apiKey", "api-key", "access_token", "refresh_token", "auth_token", "app_secret", "consumer_secret", "webhook_secret",
           "encryption_key", "master_key", "private_token", "hmac_key", "signing_secret", "passcode", "SMTP_PASSWORD", "redis_pass",
           "mqtt_password", "ldap_bind_pw", "jwtSecret", "session_secret", "cookie_secret", "credentials", "admin_pwd", "AUTH_KEY",
           "x_api_key", "token", "secret", "oauth_client_secret", "appPassword", "keystore.password", "KEYSTORE_PASS", "ssh_passphrase"]
def t_kv():
    key = pick(KV_KEYS); v = pick([pw(), alnum(32), hexs(40), b64(44) + "="])
    k = R.randrange(8)
    if k == 0: t = f"{key}={v}"
    elif k == 1: t = f"{ts()} DEBUG config loaded {key}={v} pool=20"
    elif k == 2: t = f"  {key}: \"{v}\""
    elif k == 3: t = J({"service": pick(SVC), key: v})
    elif k == 4: t = f"export {key.upper().replace('.', '_').replace('-', '_')}='{v}'"
    elif k == 5: t = f"<add key=\"{key}\" value=\"{v}\" />"
    elif k == 6: t = f"{key} = \"{v}\"  # TODO move to vault"
    else: t = f"set {key} {v}"
    add("config" if k in (0, 2, 4, 5, 6, 7) else "app-logs" if k == 1 else "json-lines", t, [L("secret_pair", v)], ["kv", f"kv_{k}"], f"kv_{k}")

def t_conn():
    v = pw(); k = R.randrange(5)
    if k == 0: t = f"Server=sql-{R.randint(1,9)}.internal;Database=crm;User Id=app;Password={v};Encrypt=True"
    elif k == 1: t = f"DefaultEndpointsProtocol=https;AccountName=acmestore{R.randint(1,99)};AccountKey={b64(86)}==;EndpointSuffix=core.windows.net"; v = t.split("AccountKey=")[1].split(";")[0]
    elif k == 2: t = f"Host=pg.internal;Port=5432;Username=svc;Pwd={v};SSL Mode=Require"
    elif k == 3: t = f"jdbc:mysql://db.internal:3306/app?user=svc&password={v}&useSSL=true"
    else: t = f"amqp://svc:{v}@rabbit.internal:5672/vhost"
    add("config", t, [L("url_password" if k == 4 else "secret_pair", v)], ["conn_string"], f"conn_{k}")

AUTH = [("Token", lambda: hexs(40)), ("Bot", lambda: alnum(24) + "." + alnum(6) + "." + alnum(27)), ("SSWS", lambda: "00" + alnum(40)),
        ("ApiKey", lambda: alnum(32)), ("Api-Key", lambda: alnum(40)), ("Key", lambda: "AAAA" + alnum(7) + ":" + alnum(140, string.ascii_letters + string.digits + "_-")),
        ("Splunk", lambda: uid()), ("GenieKey", lambda: uid()), ("Zoho-oauthtoken", lambda: "1000." + hexs(32) + "." + hexs(32)),
        ("DeepL-Auth-Key", lambda: uid() + ":fx"), ("Klaviyo-API-Key", lambda: "pk_" + hexs(34)), ("App", lambda: alnum(48)),
        ("token", lambda: "gho_" + alnum(36)), ("OAuth", lambda: alnum(40)), ("Apikey", lambda: alnum(36)), ("Signature", lambda: b64(44) + "="),
        ("SharedAccessSignature", None), ("PVEAPIToken=", None), ("AWS", None), ("Negotiate", lambda: "YII" + b64(60)), ("HMAC-SHA256", None)]
def t_auth():
    sch, gen = pick(AUTH)
    if sch == "SharedAccessSignature":
        sig = b64(43) + "%3D"; cred = f"sr=https%3A%2F%2Facme.servicebus.windows.net%2Forders&sig={sig}&se={R.randint(1700000000,1800000000)}&skn=RootManageSharedAccessKey"
        hdr = f"Authorization: SharedAccessSignature {cred}"; pii = [L("secret_pair", sig)]
    elif sch == "PVEAPIToken=":
        u = uid(); hdr = f"Authorization: PVEAPIToken=root@pam!monitoring={u}"; pii = [L("api_key", u)]
    elif sch == "AWS":
        ak = "AKIA" + alnum(16, string.ascii_uppercase + "234567"); sig = b64(27) + "="; hdr = f"Authorization: AWS {ak}:{sig}"; pii = [L("aws_access_key", ak), L("secret_pair", sig)]
    elif sch == "HMAC-SHA256":
        sig = b64(43) + "="; hdr = f"Authorization: HMAC-SHA256 Credential={alnum(20)}&SignedHeaders=x-ms-date;host&Signature={sig}"; pii = [L("secret_pair", sig)]
    else:
        v = gen(); hdr = f"Authorization: {sch} {v}"; pii = [L("github_token" if v.startswith("gho_") else "api_key", v)]
    k = R.randrange(4)
    if k == 0: t = f"> POST /v1/{pick(['messages','events','orders'])} HTTP/1.1\n> Host: api.vendor.example\n> {hdr}\n> Content-Type: application/json"
    elif k == 1: t = f"{ts()} DEBUG http.client send: b'GET /api/2/users HTTP/1.1\\r\\n{hdr}\\r\\nAccept: */*\\r\\n'"
    elif k == 2: t = f"curl -s -H '{hdr}' https://api.vendor.example/v2/status"
    else:
        name, val = hdr.split(": ", 1); t = J({"headers": {name: val, "User-Agent": "acme-sync/3.2"}})
    add("http", t, pii, ["non-bearer-auth", sch.lower()], f"auth_{k}")

def t_header_key():
    v = pick([alnum(32), hexs(32), uid(), alnum(40)])
    hdr = pick(["X-API-Key", "x-api-key", "X-Auth-Token", "X-Access-Token", "Api-Key", "X-Vault-Token", "PRIVATE-TOKEN", "X-Shopify-Access-Token", "X-Figma-Token", "apikey", "Ocp-Apim-Subscription-Key", "X-RapidAPI-Key", "DD-API-KEY", "X-Postmark-Server-Token", "X-Goog-Api-Key", "X-Gitlab-Token"])
    k = R.randrange(3)
    t = [f"> GET /v1/items HTTP/1.1\n> {hdr}: {v}", f"curl -H \"{hdr}: {v}\" https://api.example.net/v1/ping", J({"headers": {hdr: v}})][k]
    add("http", t, [L("api_key", v)], ["header_key"], f"hdr_{k}")

def t_vendor():
    v = vendor(); k = R.randrange(7)
    var = pick(["STRIPE_KEY", "OPENAI_API_KEY", "MAILGUN_KEY", "NOTION_TOKEN", "API_KEY", "LINEAR_KEY", "SENTRY_AUTH", "TF_TOKEN", "BOT_TOKEN", "CI_SECRET", "VENDOR_CRED"])
    if k == 0: t = f"{var}={v}"
    elif k == 1: t = f"{ts()} ERROR client init failed using key {v}: 401 Unauthorized"
    elif k == 2: t = f"pasted the key in the wrong channel by mistake, please rotate it: {v}"
    elif k == 3: t = J({"integration": pick(["mailgun", "notion", "linear", "sentry", "groq", "tailscale"]), "credentials": {"value": v}})
    elif k == 4: t = f"client = Client(api_key=\"{v}\")"
    elif k == 5: t = f"  - name: {var}\n    value: {v}"
    else: t = f"Authorization: Bearer {v}"
    typ = "github_token" if v.startswith("gh") else "aws_access_key" if v.startswith("AKIA") else "api_key"
    add("config" if k in (0, 4, 5) else "app-logs" if k in (1, 6) else "chat" if k == 2 else "json-lines", t, [L(typ, v)], ["vendor_key"], f"vendor_{k}")

COOKIES = ["session", "_session_id", "__Host-session", "__Secure-next-auth.session-token", "_gh_sess", "SESS" + hexs(32), "ci_session",
           "rack.session", "PLAY_SESSION", "_forum_session", "sessid", "SESSIONID", "auth_session", "wp_session", "ory_kratos_session",
           "_shopify_s", "XSRF-TOKEN", "remember_token", "__session", "appSession", "connect.sid", "koa.sess", "sid_guard"]
def t_cookie():
    name = pick(COOKIES)
    v = pick([alnum(32, string.ascii_lowercase + string.digits), b64(48), hexs(40), "s%3A" + alnum(32) + "." + alnum(43), alnum(26, string.ascii_lowercase + string.digits)])
    k = R.randrange(4)
    if k == 0: t = f"Cookie: theme=dark; {name}={v}; lang=en"
    elif k == 1: t = f"< Set-Cookie: {name}={v}; Path=/; HttpOnly; Secure; SameSite=Lax"
    elif k == 2: t = f"{priv4()} - - [12/Jan/2027:10:{R.randint(10,59)}:01 +0000] \"GET /account HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\" cookie=\"{name}={v}\""
    else: t = J({"cookies": [{"name": name, "value": v, "domain": ".shop.example"}]})
    add("http", t, [L("secret_pair", v)], ["session-cookie", name.lower()[:12]], f"cookie_{k}")

PROSE = [
    ("en", "the new password for the shared mailbox is {v}"), ("en", "temp pass: {v} (change on first login)"),
    ("en", "I reset your password to {v}, please change it"), ("en", "wifi password is {v}"),
    ("fr", "le mot de passe provisoire est {v}"), ("fr", "Votre mot de passe : {v}"),
    ("de", "Das Passwort lautet {v}"), ("de", "neues Kennwort: {v}"),
    ("es", "la contraseña nueva es {v}"), ("es", "Tu clave de acceso: {v}"),
    ("it", "la password è {v}"), ("it", "nuova password: {v}"),
    ("pt", "a senha é {v}"), ("nl", "het wachtwoord is {v}"), ("nl", "Wachtwoord: {v}"),
    ("pl", "hasło to {v}"), ("pl", "Twoje tymczasowe hasło: {v}"), ("sv", "lösenordet är {v}"), ("no", "passordet er {v}"),
    ("da", "adgangskode: {v}"), ("fi", "salasana on {v}"), ("tr", "şifre: {v}"), ("cs", "heslo je {v}"), ("ru", "пароль: {v}"),
]
def t_prose_pw():
    lang, tpl = pick(PROSE); v = pw()
    k = R.randrange(3)
    s = tpl.format(v=v)
    t = [s, f"[{hm()}] helpdesk-bot: {s}", f"{tid()} note: {s}. Closing."][k]
    add("chat", t, [L("secret_pair", v)], ["password", f"lang_{lang}"], f"prose_pw_{lang}_{k}")

# ================= look-alikes =================
SURNAME_WORDS = ["Baker", "Hunter", "Cooper", "Mason", "Fisher", "Porter", "Miller", "Carter", "Turner", "Walker", "Archer", "Gardner", "Marshall", "Chandler"]
def la():
    k = R.randrange(34)
    if k == 0: t = f"{ts()} INFO {pick(SURNAME_WORDS)} job finished in {R.randint(2,900)}s (queue={pick(['default','low'])})"
    elif k == 1: t = f"{ts()} WARN {pick(SURNAME_WORDS)} process {R.randint(1000,60000)} exited with code 137"
    elif k == 2: t = f"Dear team,\nthe maintenance window starts at {hm()} UTC.\nThanks,\nPlatform Engineering"
    elif k == 3: t = f"Hi all, reminder: change freeze from Friday. Regards, the SRE team"
    elif k == 4: t = f"{tid()} assigned to platform-oncall, cc: team-payments"
    elif k == 5: t = J({"name": pick(SVC), "owner": "team-billing", "assignee": "unassigned", "reporter": "alertmanager"})
    elif k == 6: t = J({"customer": {"name": pick(["Acme GmbH", "Northwind Traders", "Globex Corporation", "Initech Ltd"]), "plan": "enterprise"}})
    elif k == 7: t = f"upgraded {pick(SVC)} from {R.randint(1,9)}.{R.randint(0,20)}.{R.randint(0,40)}.{R.randint(0,300)} to {R.randint(1,9)}.{R.randint(0,20)}.{R.randint(0,40)}.{R.randint(0,300)}"
    elif k == 8: t = f"{ts()} INFO pool members {priv4()}:5432 {priv4()}:5432 healthy"
    elif k == 9: t = f"sha256:{hexs(64)}  {pick(SVC)}.tar.gz"
    elif k == 10: t = f"password: ${{DB_PASSWORD}}\napi_key: ${{VENDOR_API_KEY}}\ntoken_ttl: 3600"
    elif k == 11: t = f"Authorization: Bearer <redacted>\nX-Api-Key: ****{alnum(4)}"
    elif k == 12: t = f"{ts()} INFO cache key=user:{R.randint(1000,99999)}:profile ttl=300 hit=true"
    elif k == 13: t = f"Building {R.randint(1,9)}, Floor {R.randint(1,12)}, Room {R.randint(100,999)} — projector broken"
    elif k == 14: t = f"Route {R.randint(1,99)} record updated; rack {R.randint(1,40)}, row {pick('ABCDEF')}, slot {R.randint(1,42)}"
    elif k == 15: t = f"{ts()} INFO cert expires {R.randint(1,28):02d}/{R.randint(1,12):02d}/2028, created 2027-0{R.randint(1,9)}-{R.randint(10,28)}"
    elif k == 16: t = f"Released on {pick(MONTHS['en'])} {R.randint(1,28)}, 2026 — birthday campaign banner id {R.randint(100,999)}"
    elif k == 17: t = f"{ts()} DEBUG Jackson deserializer failed on field 'createdBy' (Fisher-Yates shuffle seed {R.randint(1,999)})"
    elif k == 18: t = f"Using Dijkstra's algorithm with a Bloom filter; Kalman filter gain {R.random():.3f}"
    elif k == 19: t = f"{ts()} INFO Thanks to the retry policy, 3 of 4 attempts succeeded (Regards: n/a)"
    elif k == 20: t = J({"holder": "lease-holder-" + str(R.randint(1, 9)), "recipient": "ops@", "requested_by": "system", "contact_name": "N/A"})
    elif k == 21: t = f"sessionid=; Max-Age=0; Path=/\nSet-Cookie: session=deleted; expires=Thu, 01 Jan 1970 00:00:00 GMT"
    elif k == 22: t = f"{ts()} INFO token_type=Bearer expires_in=3600 scope=read:orders"
    elif k == 23: t = f"secretName: {pick(SVC)}-tls\npasswordSecretRef: {{name: db-credentials, key: password}}"
    elif k == 24: t = f"Suite {R.randint(1,30)} tests passed; Block {R.randint(100000,999999)} height reached; Station {R.randint(1,9)} offline"
    elif k == 25: t = f"Hunter2 meme aside, the password policy requires 12 chars (see PasswordPolicy.java:{R.randint(10,300)})"
    elif k == 26: t = f"{ts()} INFO order {digits(8)} shipped via {pick(['DHL Express','UPS Ground','PostNL'])}, {R.randint(2,9)} parcels, {R.randint(1,30)} kg"
    elif k == 27: t = f"Good morning everyone, the incident review is at {hm()} in room Turing."
    elif k == 28: t = f"{ts()} INFO user_agent=\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0.{R.randint(1000,9999)}.{R.randint(10,200)}\" ip={priv4()}"
    elif k == 29: t = f"Version 2.{R.randint(0,20)} roadmap: Morgan Stanley integration and Wells Fargo ACH support"
    elif k == 30: t = f"api_key_id=key_{R.randint(100,999)} key_version={R.randint(1,9)} rotation_days=90"
    elif k == 31: t = f"-- \nSent from my iPhone"
    elif k == 32: t = f"Via {pick(['Slack','email','PagerDuty'])} at {hm()}: deploy {R.randint(100,999)} rolled back"
    else: t = f"{ts()} INFO born-on date for batch {R.randint(100,999)}: 2026-{R.randint(1,12):02d}-{R.randint(1,28):02d} (expiry +90d)"
    fn = "app-logs" if k in (0, 1, 7, 8, 12, 15, 17, 19, 22, 26, 28, 30, 33) else "json-lines" if k in (5, 6, 20) else "config" if k in (10, 21, 23) else "http" if k == 11 else "tickets"
    add(fn, t, [], [f"la_{k}"], f"la_{k}")

PLAN = [(t_name_mail, 24), (t_name_ticket, 26), (t_name_chat, 16), (t_name_json, 24), (t_address, 40), (t_dob, 26),
        (t_kv, 18), (t_conn, 5), (t_auth, 14), (t_header_key, 6), (t_vendor, 16), (t_cookie, 12), (t_prose_pw, 14)]
for fn, n in PLAN:
    for _ in range(n): fn()
for _ in range(115): la()

os.makedirs(OUT, exist_ok=True)
total = 0
for fname, recs in sorted(records.items()):
    R.shuffle(recs)
    with open(os.path.join(OUT, fname + ".jsonl"), "w") as fh:
        for i, r in enumerate(recs, 1):
            fh.write(json.dumps({"id": f"d5-{fname}-{i:03d}", **r}, ensure_ascii=False) + "\n"); total += 1
    print(fname, len(recs), sum(1 for r in recs if r["pii"]))
print("total", total)
