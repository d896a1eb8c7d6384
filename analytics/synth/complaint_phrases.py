"""The phrase bank of the synthetic complaint generator (``complaints.py``): Latvian sentence templates.

Template syntax (rendered by ``complaints.render``):

* ``[a|b|c]``: one option, drawn uniformly; options may be empty and may nest.
* ``{slot}``: a value of the item (the child, the teacher, the school, a subject, a date ...), with the case
  in the name: ``child`` (nominative), ``child_gen``, ``child_dat``, ``child_acc``; ``he`` / ``him`` (dative) /
  ``his`` (genitive) / ``him_acc`` for the child; the same for ``teacher`` and ``head`` (the school's head).
* ``{g:masculine~feminine}``: by the child's grammatical gender; ``{tg:...~...}`` by the teacher's;
  ``{sg:...~...}`` by the submitter's (first-person participles: "esmu nobažījies~nobažījusies").

Sentences are grouped by topic and by perspective: ``about`` (third person about a child; any submitter,
for a pupil the child is a classmate), ``parent`` (first person, parent or guardian), ``pupil`` (first
person) and ``staff`` (first person, a teacher or other school employee). Topics share much of their
vocabulary on purpose (teacher, marks, e-klase, the head, "nothing changed") so that no single word gives
the topic away, and several sentences sit on a boundary between two topics (a teacher grabbing a child is
safety, not ethics; a mark lowered as punishment is assessment, not rights).
"""

from __future__ import annotations

TOPIC_SENTENCES: dict[str, dict[str, list[str]]] = {
    "programme_implementation": {
        "about": [
            "Jau [kopš {since}|vairākas nedēļas|otro mēnesi] {child_dat} nenotiek {subject_gen} stundas, jo skolā "
            "[nav skolotāja|aizgāja skolotāja un neviens viņu neaizstāj].",
            "{subject_gen} stundās [{child} ar klasi|bērni] [vienkārši sēž un pilda darba lapas|skatās filmas|"
            "spēlē spēles telefonos], jo stundas faktiski neviens nevada.",
            "Stundu sarakstā ir {subject_gen} stundas, bet to vietā [notiek klases stunda|bērni tiek sūtīti uz "
            "bibliotēku|ir pašmācība|notiek sports].",
            "Aizvietošanā [visu semestri|pastāvīgi|jau trešo mēnesi] ir [cits pedagogs|bibliotekāre|skolotāja "
            "palīgs], kuram nav [atbilstošas izglītības|kvalifikācijas šajā priekšmetā], un mācību viela netiek "
            "apgūta.",
            "Skola [piedāvā|reklamē] [padziļināto kursu {subject_loc}|inženierzinātņu virziena programmu|"
            "programmu ar pastiprinātu angļu valodu], bet patiesībā [šis kurss netiek mācīts|stundu ir daudz "
            "mazāk, nekā solīts|tas notiek tikai uz papīra].",
            "{child} mācās pēc speciālās izglītības programmas, taču [individuālais izglītības plāns nav "
            "izstrādāts|programmā paredzētie atbalsta pasākumi netiek nodrošināti|logopēda nodarbības nenotiek "
            "jau pusgadu].",
            "Semestra laikā {subject_loc} [ir notikušas tikai|notika vien] [četras|piecas|sešas|dažas] stundas, "
            "pārējās [tika atceltas|nenotika].",
            "Mācību saturs netiek apgūts, kā paredz standarts: [tēmas tiek izlaistas|mācību grāmata netiek "
            "izmantota vispār|{teacher} lielāko stundas daļu runā par citām lietām].",
            "Stundas {subject_loc} notiek [krievu valodā|lielākoties krievu valodā|jauktā valodā], lai gan "
            "programma paredz mācības valsts valodā.",
            "Divas klases [tiek apvienotas vienā stundā|mācās vienlaikus vienā telpā] [gandrīz visos priekšmetos|"
            "{subject_loc}], tāpēc skolotājs nespēj [strādāt ar visiem|izmācīt abu klašu saturu].",
            "Profesionālās izglītības programmā paredzētā prakse [netika nodrošināta|tika aizstāta ar darbu "
            "skolas ēdnīcā|notika uzņēmumā, kas nav saistīts ar profesiju], un {child} profesiju neapgūst.",
            "Mācības [vairākas nedēļas|pusi semestra] notika attālināti bez [jebkāda|saprotama] pamatojuma, "
            "[bērniem tika tikai sūtīti uzdevumi|tiešsaistes stundu nebija].",
            "Sporta stundas [nenotiek|notiek klasē pie galdiem], jo sporta zāle [tiek remontēta|ir aizņemta] "
            "[kopš {since}|jau ilgu laiku], un cita risinājuma skola nemeklē.",
            "Programmā norādītās [izvēles priekšmetu|fakultatīvās] stundas [nenotiek|netiek piedāvātas], lai gan "
            "[mums tās solīja|tās ir stundu sarakstā].",
            "Konsultācijas pirms eksāmena [ir tikai uz papīra|nenotiek], lai gan tās ir stundu sarakstā un "
            "[e-klasē ierakstītas kā notikušas|skolotājai par tām maksā].",
            "{teacher} [regulāri kavē stundas|bieži neierodas uz stundām|pusi stundas nav klasē], un {child} ar "
            "klasi paliek [bez mācībām|vieni].",
            "E-klasē ir ierakstītas tēmas, kuras stundās nemaz netika [mācītas|apskatītas].",
            "{subject_gen} priekšmetu [māca|pasniedz] [sporta|vēstures|mūzikas] skolotājs, kurš pats atzīst, "
            "ka [šo priekšmetu nepārzina|to nav mācījies].",
            "{child_dat} [ar mācīšanās traucējumiem|ar disleksiju] [netiek pielāgots mācību saturs|netiek "
            "nodrošināti pielāgojumi], kas [paredzēti programmā|ieteikti atzinumā].",
        ],
        "parent": [
            "Uzskatu, ka skola neīsteno [licencēto|apstiprināto] izglītības programmu pilnā apjomā.",
            "Salīdzinot ar paralēlklasi, {child_gen} klasei [ir par divām stundām nedēļā mazāk|nav {subject_gen} "
            "stundu vispār].",
            "Mēs, vecāki, saskaitījām, ka [šajā semestrī|kopš {since}] nenotika [vismaz|] {n} {subject_gen} stundas.",
            "Vēlos noskaidrot, vai skola drīkst [aizstāt {subject_gen} stundas ar citu priekšmetu|mācīt priekšmetu "
            "bez kvalificēta pedagoga|samazināt stundu skaitu zem programmā noteiktā].",
            "Man kā {sg:tēvam~mātei} ir jāalgo privātskolotājs, jo skolā {subject_loc} [nekas netiek "
            "mācīts|stundas nenotiek].",
            "Vairākkārt prasīju, kad sāksies {subject_gen} stundas, bet [skaidras atbildes nav|man atbild, ka "
            "skolotāju nevar atrast].",
        ],
        "pupil": [
            "Mums {subject_loc} jau [mēnesi|pusgadu|kopš {since}] nav skolotāja, mēs vienkārši sēžam klasē.",
            "mums ir tikai viena {subject_gen} stunda nedēļā, lai gan [vajadzētu trīs|paralēlklasei ir trīs].",
            "Gatavojamies eksāmenam, bet pusi [tēmu|no programmas] neesam mācījušies, jo stundas nenotika.",
            "Mūsu skolā [ķīmiju|fiziku|informātiku] māca [sporta|vēstures] skolotājs, kurš pats saka, ka to nesaprot.",
            "Praksē mūs [sūtīja mazgāt traukus|nelaida pie īstiem darbiem|lika tikai slaucīt grīdu], nevis mācīja "
            "profesiju.",
            "Stundas bieži nenotiek, mēs sēžam gaitenī un [gaidām|neviens nepasaka, kas notiek].",
        ],
        "staff": [
            "Kā pedagogs vēlos informēt, ka vadība [liek|pieprasa] [ierakstīt e-klasē stundas, kas nav "
            "notikušas|mācīt priekšmetus, kuriem mums nav kvalifikācijas].",
            "Administrācija ir [samazinājusi|sagriezusi] [{subject_gen}|dabaszinātņu] stundu skaitu zem programmā "
            "noteiktā.",
            "Mūsu skolā [speciālās izglītības programmas|iekļaujošās izglītības] skolēni mācās parastās klasēs bez "
            "atbalsta personāla, lai gan programmā tas ir paredzēts.",
            "Skolā [trūkst|nav] [trīs|vairāku] skolotāju, un stundas [vienkārši tiek izlaistas|tiek apvienotas], "
            "bet dibinātājam tiek ziņots, ka viss notiek.",
        ],
    },
    "assessment": {
        "about": [
            "{teacher} [ielika|{tg:ir ielicis~ir ielikusi}] {child_dat} [{mark}|{mark} balles|nepietiekamu "
            "vērtējumu] par [kontroldarbu|pārbaudes darbu|ieskaiti], bet [darbu parādīt atsakās|nepaskaidro, "
            "kāpēc].",
            "{child_dat} semestra vērtējums {subject_loc} ir {mark} balles, lai gan [visi atsevišķie vērtējumi "
            "bija|gandrīz visas atzīmes e-klasē ir] {mark_hi} un augstāk.",
            "Vērtēšanas kritēriji netiek paskaidroti, un {child} nesaprot, [par ko tika noņemti punkti|kāpēc "
            "saņēma tik zemu vērtējumu].",
            "{child_dat} [neļāva|neatļāva] [uzlabot vērtējumu|pārrakstīt kontroldarbu], lai gan [citiem "
            "klasesbiedriem to atļāva|skolas kārtība to paredz].",
            "E-klasē parādījās [“nv”|nv|nepietiekams vērtējums] par darbu, ko {child} {g:bija nodevis~bija "
            "nodevusi} laikā.",
            "Vērtējums tika samazināts [par uzvedību|par runāšanu stundā|par kavēšanu], nevis par zināšanām.",
            "Pārbaudes darbu rezultāti e-klasē parādās tikai pēc [mēneša|vairākām nedēļām], un nav iespējams "
            "laikus [uzlabot|saprast kļūdas].",
            "{child_dat} ir [noteikti|piešķirti] papildu mācību pasākumi vasarā, lai gan gada vērtējumi [visos "
            "priekšmetos ir pietiekami|mums netika laikus paziņoti].",
            "Darbi tiek vērtēti procentos, bet nav skaidrs, kā [tie tiek pārvērsti ballēs|no procentiem rodas atzīme].",
            "Par [vienu un to pašu|gandrīz vienādu] atbildi [citiem|dažiem] skolēniem ir augstāks vērtējums nekā "
            "{child_dat}.",
            "{teacher} [vērtē pēc simpātijām|dod labākas atzīmes saviem mīluļiem], un {child_gen} vērtējumi "
            "{subject_loc} ir nepamatoti zemi.",
            "[Svērto atzīmju|Vērtējumu svēršanas] sistēma nav paskaidrota, un semestra vērtējums neatbilst tam, ko "
            "rāda e-klase.",
            "Noslēguma pārbaudes darbā {child} ieguva {pct} %, bet vērtējums ir tikai {mark} balles, lai gan pēc "
            "kritērijiem pienāktos vairāk.",
            "{child} {g:netika pārcelts~netika pārcelta} nākamajā klasē, lai gan [vērtējumi ir pietiekami|tikai "
            "vienā priekšmetā bija nepietiekams vērtējums].",
            "{child_dat} [neļāva|nedeva iespēju] kārtot ieskaiti vēlāk, kad {he} bija {g:slims~slima}, un ielika "
            "[“nv”|nepietiekamu vērtējumu].",
            "Vērtējumu {subject_loc} ieliek [tikai par mājasdarbiem|par burtnīcas noformējumu], bet [zināšanas "
            "netiek pārbaudītas|mājasdarbus skolotāja nepārbauda].",
            "Formatīvie vērtējumi tiek [ieskaitīti|iekļauti] semestra atzīmē, kas ir pretrunā ar skolas "
            "vērtēšanas kārtību.",
            "{teacher} [pazaudēja|nevarēja atrast] {child_gen} [kontroldarbu|eksāmena darbu] un [ielika vērtējumu "
            "no galvas|lika rakstīt vēlreiz].",
            "Ieskaites jautājumi bija par tēmām, kas stundās [netika mācītas|nemaz netika apskatītas], un "
            "[gandrīz visa klase|puse klases] saņēma nepietiekamu vērtējumu.",
        ],
        "parent": [
            "Lūdzu pārbaudīt, vai skolas vērtēšanas kārtība atbilst normatīvajiem aktiem.",
            "Lūdzām [skolotājai|{teacher_dat}] parādīt [labotu darbu|vērtēšanas kritērijus], bet [mums atteica|"
            "darbs esot pazudis].",
            "Uzskatu, ka {child_gen} vērtējums {subject_loc} ir [nepamatoti zems|netaisnīgs|aprēķināts kļūdaini].",
            "Vēlos apstrīdēt {child_gen} [gada|semestra] vērtējumu {subject_loc}.",
            "Mums neviens nevar paskaidrot, kā tika aprēķināts [gada|semestra] vērtējums.",
            "Esmu {sg:pārliecināts~pārliecināta}, ka [zināšanas|bērna darbs] tiek novērtētas zemāk nekā citiem.",
        ],
        "pupil": [
            "man ielika {mark} balles par darbu, kuru [es uzrakstīju gandrīz bez kļūdām|mana draudzene norakstīja "
            "no manis un dabūja {mark_hi}].",
            "Skolotāja [nekad nepaskaidro|neparāda], kāpēc [noņēma|samazināja] punktus.",
            "Visai klasei ielika [“nv”|nepietiekamu vērtējumu], jo daži [špikoja|norakstīja].",
            "Man neļāva pārrakstīt kontroldarbu, lai gan [biju {sg:slims~slima}|man bija ārsta zīme].",
            "Semestra atzīme neatbilst manām atzīmēm e-klasē, [vidēji man ir {mark_hi}|visas ir augstākas].",
            "[Vērtēšanas|Darba] kritērijus mēs uzzinām tikai pēc darba, nevis pirms.",
        ],
        "staff": [
            "Administrācija [spiež|pieprasa] [paaugstināt|mainīt] vērtējumus [dažiem|noteiktiem] skolēniem.",
            "Direktores vietniece [pārlaboja|nomainīja] manis ielikto gada vērtējumu bez manas ziņas.",
            "Skolā nav vienotas vērtēšanas kārtības, katrs pedagogs vērtē pēc saviem ieskatiem.",
            "Vadība liek [nelikt nepietiekamus vērtējumus|“pavilkt” gada vērtējumus], lai skolai būtu labāki rādītāji.",
        ],
    },
    "teacher_ethics": {
        "about": [
            "{teacher} [kliedz uz bērniem|regulāri paceļ balsi|bļauj uz klasi], saucot viņus par [stulbiem|"
            "slinkiem|nejēgām].",
            "{teacher} visas klases priekšā [izsmēja|apsmēja|pazemoja] {child_acc}, [skaļi nolasot|komentējot] "
            "{child_gen} [darbu|kļūdas].",
            "{teacher} [komentē|izsaka piezīmes par] [bērnu izskatu|apģērbu|svaru|tautību].",
            "{teacher} stundas laikā [runā pa telefonu|sēž telefonā|kārto savas darīšanas] un uz bērnu "
            "jautājumiem atbild [nicīgi|ar smīnu].",
            "{teacher} [piedāvā|uzspiež] saviem skolēniem [maksas privātstundas|privātstundas par maksu], [un "
            "citādi ieskaiti nokārtot neesot iespējams|lai gan {tg:pats~pati} viņus vērtē].",
            "{teacher} [ievietoja|publicēja] [sociālajos tīklos|klases WhatsApp grupā] [{child_gen} darbu ar "
            "aizskarošiem komentāriem|bērnu fotogrāfijas ar izsmejošiem parakstiem].",
            "{teacher} stundās pauž [politiskus|reliģiskus] uzskatus un [ņirgājas par|kritizē] bērnus, kuri "
            "domā citādi.",
            "{teacher} {tg:ir nepieklājīgs~ir nepieklājīga} un {tg:augstprātīgs~augstprātīga} pret skolēniem.",
            "{teacher} ieradās darbā {tg:iereibis~iereibusi}, to redzēja vairāki bērni.",
            "{teacher} [stāsta|apspriež] [citu bērnu|{child_gen}] [veselības problēmas|ģimenes situāciju] [citiem "
            "skolēniem|visai klasei].",
            "{teacher} [piedraudēja|draud], ka {child} [neizturēs eksāmenu|nepāries nākamajā klasē], ja vecāki "
            "[sūdzēsies|turpinās jautāt].",
            "{teacher} [sauc|dēvē] {child_acc} [iesaukās|par “problēmbērnu”|aizvainojošos vārdos].",
            "{teacher} [izceļ|dod priekšroku] [dažiem bērniem|savu draugu bērniem], bet pārējos [ignorē|nepamana].",
            "{teacher} [vāc|pieprasa] no vecākiem naudu [dāvanām|klases vajadzībām] un neatskaitās, kur tā izlietota.",
            "{teacher} rakstīja {child_dat} privātas ziņas [vēlu vakarā|sociālajos tīklos], kas nav pieņemami.",
            "{teacher} [raudināja|noveda līdz asarām] {child_acc} [ar saviem komentāriem|klases priekšā].",
            "{teacher} [izlika|izmeta] {child_acc} no klases [par sīkumiem|bez iemesla] un [vēl pasmējās|lika "
            "stāvēt gaitenī].",
            "{teacher} stundās lieto [necenzētus|rupjus] vārdus.",
            "{teacher} [atklāti|visiem dzirdot] [pazemo|izsmej] [bērnus ar mācīšanās grūtībām|vājākos skolēnus].",
            "{teacher} [izsaka|raksta] [aizvainojošas|nepieklājīgas] piezīmes e-klasē par {child_acc}, kuras "
            "[lasa visa ģimene|nav patiesas].",
            "[Starpbrīdī|Stundā] {teacher} [teica|pateica] {child_dat}, ka no {his} “nekas nesanāks”.",
        ],
        "parent": [
            "Uzskatu, ka šāda rīcība neatbilst pedagoga profesionālās ētikas [normām|kodeksam].",
            "Kad mēģināju ar {teacher_acc} runāt, {tg:viņš~viņa} [atbildēja rupji|man uzkliedza|nolika klausuli].",
            "Mēs esam [sašutuši|šokēti] par to, kā pedagogs runā ar bērniem.",
            "Citi vecāki apstiprina, ka {teacher} tā izturas [pret daudziem bērniem|jau gadiem].",
            "Negribu, lai manu bērnu māca cilvēks, kas [pazemo|apsmej] bērnus.",
            "Pedagogam ir jābūt paraugam, bet {teacher} [rīkojas pretēji|uzvedas necienīgi].",
        ],
        "pupil": [
            "skolotāja mūs sauc par [debiļiem|stulbeņiem] un saka, ka no mums nekas nesanāks",
            "Skolotājs [apsmej|izsmej] mani klases priekšā, kad es kļūdos.",
            "Viņa [nolasa|izstāsta] visiem priekšā, kam kādas atzīmes, un smejas par sliktākajām.",
            "Skolotāja [stundās|starpbrīžos] [runā sliktu par|aprunā] citiem skolotājiem un skolēniem.",
            "Skolotājs [raksta|sūta] man ziņas [instagramā|vēlu vakarā], un man tas nepatīk.",
            "Viņa stundā pateica, ka tādi kā es [dzīvē neko nesasniegs|jāsūta uz speciālo skolu].",
        ],
        "staff": [
            "Vēlos ziņot par kolēģi, {tg:kurš~kura} [pazemo skolēnus|izturas necienīgi pret bērniem], bet vadība "
            "[nereaģē|to piesedz].",
            "Mūsu [direktore|direktors] sapulcēs [publiski pazemo|kliedz uz] pedagogiem.",
            "[Kolēģe|Kāda kolēģe] [pieprasa|ņem] naudu no vecākiem par [“papildu nodarbībām”|konsultācijām], kas "
            "ir interešu konflikts.",
        ],
    },
    "safety": {
        "about": [
            "{child} klasē tiek {g:apcelts~apcelta}: {him_acc} [grūž|sit|apsaukā|izsmej] [klasesbiedri|daži "
            "zēni|vecāko klašu skolēni].",
            "Starpbrīdī [kāds skolēns|vecāko klašu puiši] [iesita|iespēra] {child_dat} [pa seju|pa vēderu|tā, ka "
            "bija jābrauc uz traumpunktu].",
            "Pret {child_acc} notiek [mobings|ņirgāšanās|sistemātiska apcelšana] jau [kopš {since}|vairākus "
            "mēnešus], un skola [neko nedara|situāciju neatrisina].",
            "Klases [WhatsApp|čata] grupā par {child_acc} [izplata aizskarošus attēlus|raksta draudus|ņirgājas].",
            "Skolas [tualetēs|pagalmā] skolēni [smēķē|veipo|lieto elektroniskās cigaretes], un dežuranti to neredz.",
            "Starpbrīžos gaiteņos [nav dežurējošo skolotāju|bērni netiek uzraudzīti], [notiek kautiņi|bērni "
            "skraida pa kāpnēm].",
            "{child} [sporta stundā|starpbrīdī|pagarinātajā grupā] [guva traumu|lauza roku|sasita galvu], un "
            "skola [neizsauca ātro palīdzību|neizsauca ārstu].",
            "Skolas [teritorijā|pagalmā] [ir bīstamas|ir salūzušas] [rotaļu iekārtas|kāpnes|margas], un bērni "
            "var savainoties.",
            "{teacher} [sagrāba|parāva] {child_acc} aiz [rokas|apkakles|auss] tā, ka palika [zilums|zilumi].",
            "{child} [izgāja no skolas|aizgāja mājās] [stundu laikā|no pagarinātās grupas] bez uzraudzības, un "
            "neviens to nepamanīja.",
            "Skolā var brīvi ienākt [jebkurš svešinieks|sveši cilvēki], jo durvis [netiek slēgtas|ir vaļā] un "
            "[apsardzes nav|dežuranta nav].",
            "Kāds skolēns [atnesa uz skolu nazi|draudēja ar nazi|draudēja atnest ieroci], [bet skola to "
            "noklusēja|un nekas netika darīts].",
            "Ekskursijas laikā bērni [palika bez uzraudzības|tika atstāti vieni] [vairākas stundas|svešā pilsētā].",
            "[Vecāko klašu zēns|Kāds klasesbiedrs] {child_acc} [nepiedienīgi aizskar|aiztiek] un sūta "
            "[nepieklājīgas|aizskarošas] ziņas.",
            "{child} [baidās|negrib] iet uz skolu, jo [kāds skolēns {him_acc} pastāvīgi apdraud|klasesbiedri "
            "{him_acc} sit].",
            "Klases telpā ir [atklāti elektrības vadi|saplīsis logs|nenostiprināts skapis], un tas ir bīstami bērniem.",
            "Ziemā skolas [pagalms|celiņš] netiek [kaisīts|tīrīts], [vairāki bērni ir pakrituši|{child} "
            "pakrita un sasitās].",
            "Kautiņi starp skolēniem tiek filmēti un [izplatīti|ievietoti TikTok], bet skola [to neuzskata par "
            "problēmu|saka, ka tas notiek ārpus skolas].",
            "[Vecākie skolēni|Daži puiši] [atņem|izspiež] no {child_gen} [naudu|telefonu] un draud piekaut.",
            "Cits skolēns [uzkliedza|uzbruka] {child_dat}, un {teacher}, kas [to redzēja|bija blakus], neiejaucās.",
            "Klasesbiedri {child_dat} [sabojāja|saplēsa] mantas un ieslēdza {him_acc} [tualetē|garderobē].",
        ],
        "parent": [
            "Esmu [ļoti|nopietni] {sg:nobažījies~nobažījusies} par sava bērna drošību skolā.",
            "Bērns mājās [stāsta|ir pastāstījis], ka [skolā viņu sit|baidās no starpbrīžiem|viņam draud].",
            "Lūdzu nekavējoties pārbaudīt, kā skolā tiek [nodrošināta bērnu drošība|ievēroti drošības noteikumi].",
            "Vardarbības gadījums netika [reģistrēts|izmeklēts], un [vainīgie netika sodīti|nekas netika darīts].",
            "Mums bija jāvēršas [policijā|pie ārsta], jo {child_dat} bija [zilumi|trauma].",
            "Baidos, ka [nākamreiz|nākamajā reizē] notiks kas [vēl ļaunāks|nopietnāks].",
        ],
        "pupil": [
            "mani klasē apsaukā un grūž, es baidos iet uz skolu",
            "Kāds [puisis|zēns] no [devītās|vecākās] klases man [prasa naudu|atņem telefonu] un draud piekaut.",
            "Mūsu klases čatā par mani raksta [briesmīgas|pretīgas] lietas un [liek|ievieto] manas bildes.",
            "skolotājiem stāstīju, bet viņi saka, lai paši tiekam galā",
            "Starpbrīžos [tualetē|garderobē] vecākie [sit|grūž] jaunākos, un neviens neko nedara.",
            "Mani [sita|piekāva] pēc stundām pie skolas, un to [filmēja|ielika internetā].",
        ],
        "staff": [
            "Kā pedagogs ziņoju, ka skolā nav [apsardzes|drošības plāna|videonovērošanas], un vadība uz maniem "
            "ziņojumiem nereaģē.",
            "Skolēni [uzbrūk|ir uzbrukuši] pedagogiem, bet administrācija [neļauj|nevēlas] par to ziņot policijai.",
            "Mūsu skolā [nav notikušas|netiek rīkotas] evakuācijas mācības, un [ugunsdzēšamie aparāti|"
            "evakuācijas plāni] ir novecojuši.",
            "Vadība [slēpj|neziņo par] vardarbības gadījumiem skolēnu starpā, lai [nebojātu skolas tēlu|nebūtu "
            "pārbaužu].",
        ],
    },
    "pupil_rights": {
        "about": [
            "{child_acc} [nelaida|neielaida] stundā, jo {he} [ieradās bez skolas formas|nokavēja piecas minūtes|"
            "aizmirsa maiņas apavus].",
            "{teacher} [atņēma|konfiscēja] {child_dat} telefonu un [atdeva tikai pēc nedēļas|pieprasīja, lai "
            "vecāki ierodas pakaļ].",
            "{child_acc} [neuzņēma|atteicās uzņemt] skolā, [neminot iemeslu|jo skola esot pilna], lai gan "
            "[dzīvojam skolas tuvumā|visi dokumenti bija iesniegti laikā].",
            "Skola [draud atskaitīt|grib atskaitīt|atskaitīja] {child_acc} [uzvedības dēļ|bez pamatojuma|bez "
            "vecāku piekrišanas].",
            "{child_dat} [netiek nodrošināts|netika piešķirts] [pedagoga palīgs|asistents|speciālā pedagoga "
            "atbalsts], kas [noteikts|ieteikts] pedagoģiski medicīniskās komisijas atzinumā.",
            "Bērniem [neļauj|aizliedz] stundas laikā iet uz tualeti, [pat ja viņi ļoti lūdz|un {child_dat} "
            "gadījās nepatikšanas].",
            "Visa klase tika sodīta [par viena skolēna rīcību|kolektīvi], [atņemot ekskursiju|liekot palikt pēc "
            "stundām].",
            "{child_dat} kā sodu liek [mazgāt grīdas|uzkopt klasi|strādāt skolas dārzā].",
            "Skola [bez vecāku piekrišanas|bez mūsu ziņas] [nodeva|izpauda] {child_gen} [personas datus|"
            "veselības informāciju] [trešajām personām|citiem vecākiem].",
            "{child_dat} [neļāva|liedza] kārtot [eksāmenu|centralizēto eksāmenu|ieskaiti] kopā ar citiem, "
            "[neminot iemeslu|jo esot “par vāju”].",
            "Skolēnu padomes [viedoklis tiek ignorēts|priekšlikumi netiek uzklausīti], [un vadība to "
            "likvidēja|un vadība neļauj to sasaukt].",
            "{child} tiek {g:diskriminēts~diskriminēta} [tautības|valodas|invaliditātes] dēļ: {him_acc} [nošķir "
            "no pārējiem|nelaiž pasākumos].",
            "Skola liek [pirkt darba burtnīcas|maksāt par mācību līdzekļiem|maksāt par obligātu ekskursiju], un "
            "tos, kas nemaksā, [nelaiž piedalīties|izceļ klases priekšā].",
            "{child_dat} netika dota iespēja izteikt savu viedokli, pirms {him} [piešķīra rājienu|uzlika sodu].",
            "Skolas iekšējās kārtības noteikumi [paredz|atļauj] [pārmeklēt skolēnu somas|atņemt personīgās "
            "mantas], kas pārkāpj bērna tiesības.",
            "{child_acc} [pārcēla|pārvietoja] uz citu klasi bez vecāku [piekrišanas|ziņas].",
            "Bērni tiek [sodīti|atstāti pēc stundām] bez vecāku ziņas, [dažreiz līdz vakaram|un neviens "
            "nepaskaidro, kāpēc].",
            "{child} nedrīkst izmantot [atbalsta pasākumus|papildu laiku] pārbaudes darbos, lai gan tie {him} [ir "
            "noteikti atzinumā|ir nepieciešami].",
            "{child_acc} [sūta mājās|neielaiž skolā], [jo {he} esot “{g:traucējošs~traucējoša}”|kamēr vecāki "
            "neparaksta papīrus], un {he} kavē mācības.",
            "{child_dat} [aizliedza|neļāva] piedalīties [olimpiādē|sacensībās|ekskursijā] [sliktu atzīmju dēļ|kā "
            "sodu].",
        ],
        "parent": [
            "Uzskatu, ka skola pārkāpj {child_gen} tiesības uz izglītību.",
            "Lūdzu izvērtēt, vai skolas iekšējās kārtības noteikumi atbilst Bērnu tiesību aizsardzības likumam.",
            "Pieprasījām [rakstisku lēmumu|pamatojumu], bet to [nesaņēmām|mums atteica].",
            "Vai skolai ir tiesības [nelaist bērnu stundā|atņemt bērna mantas|sodīt visu klasi]?",
            "{child} ir tikpat {g:tiesīgs~tiesīga} mācīties šajā skolā kā citi bērni.",
        ],
        "pupil": [
            "Mums atņem telefonus uz visu dienu, pat starpbrīžos, un [neatdod|atdod tikai vecākiem].",
            "Mani neielaida skolā, jo biju bez maiņas apaviem, un man bija jāstāv gaitenī.",
            "Skolēnu padome iesniedza priekšlikumus, bet [direktors|direktore] teica, ka mūsu viedoklis neinteresē.",
            "Man liedz [piedalīties olimpiādē|braukt ekskursijā], jo [esot “problēmskolēns”|vecāki nav samaksājuši].",
            "man neļāva iet uz tualeti un lika gaidīt līdz starpbrīdim",
            "Mūs [pārmeklē|liek izkratīt somas], ja kāds [pazaudē mantu|veipo], bez jebkāda pamatojuma.",
        ],
        "staff": [
            "Vadība liek [nelaist skolēnus stundās, ja viņi kavē|pārmeklēt skolēnu somas], un es uzskatu, ka tas "
            "pārkāpj bērnu tiesības.",
            "Bērniem ar speciālām vajadzībām [netiek nodrošināts|nav pieejams] [atbalsts|asistents], lai gan "
            "[vecāki to vairākkārt lūguši|tas ir noteikts atzinumā].",
            "Skolā [neuzņem|atsaka uzņemt] bērnus ar [invaliditāti|mācīšanās traucējumiem], [iesakot|sakot "
            "vecākiem] meklēt citu skolu.",
        ],
    },
    "parent_communication": {
        "about": [
            "Par to, ka {child} [guva traumu|{g:tika sodīts~tika sodīta}|nebija stundās], mēs uzzinājām tikai no "
            "paša bērna, skola mūs neinformēja.",
            "Skola nav informējusi par izmaiņām [stundu sarakstā|pagarinātās dienas grupas darbā], un {child} "
            "[stāvēja pie slēgtām durvīm|gaidīja velti].",
            "Par {child_gen} [uzvedību|sekmēm] mēs uzzinām tikai no [ierakstiem e-klasē|piezīmēm dienasgrāmatā], "
            "bet neviens ar mums [nerunā|nesazinās].",
            "{teacher} [vairs neatbild|neatbild] uz [vecāku|mūsu] [vēstulēm|zvaniem] par {child_acc}.",
            "Skola [ziņoja|nosūtīja ziņojumu] [sociālajam dienestam|bāriņtiesai] par {child_acc}, pat "
            "nemēģinot vispirms runāt ar [mums|ģimeni].",
            "{child} {g:bija slims~bija slima}, bet skola [mums nezvanīja|nesazinājās ar mums] un [atstāja {him_acc} "
            "gaidīt|neļāva {him} doties mājās].",
        ],
        "parent": [
            "Jau [trīs nedēļas|mēnesi|vairākus mēnešus] nesaņemu atbildi uz [e-pastu|vēstuli|e-klases vēstuli], ko "
            "rakstīju [{teacher_dat}|{head_dat}|skolai].",
            "{head} [atsakās|nevēlas] [tikties ar mani|pieņemt vecākus], [jo neesot laika|un liek rakstīt iesniegumu].",
            "Vecāku sapulces notiek [darba laikā|bez iepriekšēja paziņojuma|tikai klātienē], un [mēs tajās nevaram "
            "piedalīties|informācija mums nenonāk].",
            "Informācija par skolas [pasākumiem|ekskursijām|maksājumiem] tiek izplatīta tikai [WhatsApp grupā|"
            "Facebook], kurā [mani neiekļāva|nav visu vecāku].",
            "Kad [zvanu|rakstu] uz skolu, [neviens neatbild|saka, ka atbildīgā persona nav pieejama|apsola "
            "atzvanīt, bet neatzvana].",
            "[Klases audzinātāja|Skola] sniedz [pretrunīgu|nepilnīgu] informāciju, un [katrs darbinieks saka ko "
            "citu|nav skaidrs, kam ticēt].",
            "Lūdzu palīdzēt [atjaunot|uzlabot] saziņu ar skolu, jo [vairs nezinu, pie kā vērsties|mūsu vēstules "
            "tiek ignorētas].",
            "Pieprasīju [sanāksmes protokolu|dokumentu kopijas|rakstisku paskaidrojumu], bet skola [to "
            "neizsniedz|atbild, ka tas nav iespējams].",
            "Skolas atbilde uz manu iesniegumu bija [formāla|nekonkrēta] un neatbildēja uz maniem jautājumiem.",
            "Mēs vairākkārt lūdzām [tikšanos|sarunu] ar [atbalsta personālu|sociālo pedagogu|psihologu], bet "
            "[to ik reizi atliek|mums atsaka].",
            "Skola [mani neinformēja|man nepaziņoja], ka {child} {g:nav bijis~nav bijusi} skolā [visu dienu|vairākas "
            "dienas].",
            "Tikšanās laikā {head} [neļāva man izteikties|teica, ka bērna problēmas nav skolas atbildība|"
            "visu laiku skatījās telefonā].",
            "Iesniegumus skola pieņem tikai [klātienē|papīra formā], e-pastu [neatzīst|neskata].",
            "e-klasē rakstīju [trīs|vairākas] reizes, ziņas ir izlasītas, bet atbildes nav",
            "Skola neinformē vecākus par [izmaiņām|svarīgiem lēmumiem], mēs visu uzzinām [pēdējā brīdī|no "
            "citiem vecākiem].",
            "Par [sapulci|tikšanos ar vadību] [uzzināju|mums paziņoja] tikai [tās dienas rītā|dienu iepriekš].",
            "Klases audzinātāja [nav sasniedzama|neatbild uz zvaniem] un [vecākiem nesniedz informāciju|nedod "
            "atgriezenisko saiti].",
        ],
        "pupil": [
            "Mani vecāki [vairākas reizes|jau sen] rakstīja skolai, bet neviens neatbild.",
            "Skola nepaziņo vecākiem, kad mainās stundu saraksts, un mums [pašiem jāstāsta|par to jāuzzina pašiem].",
        ],
        "staff": [
            "Kā klases audzinātāja saņemu [naidīgas|agresīvas] vēstules no vecākiem, un vadība [neiesaistās|"
            "neatbalsta] saziņā ar ģimeni.",
            "Vecāki [pieprasa|gaida], lai atbildu uz ziņām [vēlu vakarā|brīvdienās], un skolā nav noteiktas "
            "saziņas kārtības.",
            "Vadība [aizliedz|neļauj] pedagogiem [tieši runāt ar vecākiem|atbildēt vecākiem] bez [saskaņošanas|"
            "vadības ziņas].",
        ],
    },
    "other": {
        "about": [
            "{child} pusdienās bieži paliek {g:izsalcis~izsalkusi}, jo [porcijas ir mazas|ēdiens ir auksts|"
            "ēdiens ir neēdams].",
            "Skolas autobuss [bieži kavējas|dažreiz neatbrauc|ir pārpildīts], un {child} [nokavē pirmo stundu|"
            "gaida aukstumā].",
            "{child} nesaņēma vietu [pagarinātās dienas grupā|interešu izglītības pulciņā|mūzikas skolā].",
            "{child_gen} klasē [ir auksti|temperatūra ir zem 18 grādiem] [jau vairākas nedēļas|visu ziemu].",
            "{child_dat} [pazuda jaka|nozaga telefonu|nozaga velosipēdu] [no garderobes|pie skolas], un skola "
            "[neuzņemas atbildību|saka, ka nevar palīdzēt].",
            "{child} [mācās|sāka mācīties] mūzikas skolā, un [nodarbību laiki|stundu saraksti] nesaskan ar "
            "vispārizglītojošās skolas stundām.",
        ],
        "parent": [
            "Vēlos sūdzēties par [skolas ēdināšanu|ēdnīcas darbu]: [ēdiens ir auksts|porcijas ir mazas|nav "
            "veģetāro ēdienu|cenas ir pārāk augstas].",
            "Pašvaldība [slēdz|reorganizē|apvieno] mūsu skolu, un [neviens nav konsultējies ar vecākiem|bērniem "
            "būs jābrauc trīsdesmit kilometrus].",
            "Rinda uz bērnudārzu ir [vairākus gadus gara|ļoti gara], un [mums nepiešķir vietu|piedāvātā vieta ir "
            "citā pilsētas galā].",
            "Skolas [ēkai|sporta zālei] [tek jumts|ir nepieciešams remonts], taču [pašvaldība|dibinātājs] "
            "[neko nedara|remontu atliek].",
            "[Mācību līdzekļu|Darba burtnīcu] izmaksas [katru gadu pieaug|ir ļoti lielas].",
            "Vēlos uzzināt, kādi dokumenti [nepieciešami|jāiesniedz], lai [pārietu uz citu skolu|mācītos "
            "ģimenē|pārceltu bērnu uz mājmācību].",
            "Bērnudārza [darba laiks|atvērtais laiks] ir [saīsināts|neērts strādājošiem vecākiem].",
            "[Interešu izglītības|Pulciņu] nodarbības [ir pārāk dārgas|tika atceltas bez iemesla].",
            "Pie skolas [nav stāvvietas|rītos ir sastrēgumi], un [vecāki parko uz ietves|nav gājēju pārejas].",
            "Šī nav sūdzība: vēlos [pateikties|teikt paldies] {teacher_dat} par [lielo darbu|atbalstu mūsu bērnam].",
            "Kur varu [saņemt|pieprasīt] [izziņu par mācībām|liecības dublikātu|apliecības dublikātu]?",
            "Vēlos sūdzēties par skolas darbu kopumā, [tur valda haoss|nekas nav kārtībā].",
            "Lūdzu paskaidrot, [kā notiek uzņemšana pirmajā klasē|līdz kuram datumam jāpiesakās|kādi ir "
            "mācību gada brīvdienu datumi].",
            "Skolas formas [cena ir pārāk augsta|jāpērk tikai vienā veikalā], un tā ātri [nolietojas|saplīst].",
        ],
        "pupil": [
            "skolas ēdnīcā ēdiens ir auksts un [garšo briesmīgi|porcijas ir mazas]",
            "Mūsu skolā [nestrādā dzeramā ūdens aparāti|nav Wi-Fi|nav sporta laukuma|ir veci datori].",
            "Skolas autobuss no rīta ir tik pārpildīts, ka jāstāv visu ceļu.",
            "Skapīšu [nav pietiekami|ir par maz], un mantas jānēsā līdzi visu dienu.",
        ],
        "staff": [
            "Kā pedagogs vēlos sūdzēties par [darba samaksu|tarifikāciju|to, ka netiek apmaksātas aizvietošanas "
            "stundas].",
            "Man [nav izmaksāta|aizkavēta] [atvaļinājuma nauda|piemaksa par audzināšanas darbu].",
            "Skolotāju istabā [nav datoru|nestrādā printeris], un mums jāstrādā ar saviem līdzekļiem.",
            "Darba slodze [ir nesamērīga|pārsniedz četrdesmit stundas nedēļā], bet vadība to neņem vērā.",
            "Pašvaldība [samazina|apvieno] skolas, un pedagogi par savu nākotni uzzina [no avīzēm|pēdējā brīdī].",
        ],
    },
}

# Sentences that fit any topic: how long it has gone on, how the child feels, what was tried.
SHARED_SENTENCES: dict[str, list[str]] = {
    "about": [
        "Situācija atkārtojas [kopš {since}|jau vairākus mēnešus|visu mācību gadu].",
        "Tā nav pirmā reize.",
        "{child} ir ļoti {g:satraukts~satraukta} un [negrib iet uz skolu|naktīs slikti guļ|bieži raud].",
        "Skolas vadība [uzskata|saka], ka viss ir kārtībā.",
        "Tas [notika|sākās] {when}.",
        "{child} [agrāk labprāt gāja uz skolu|{g:vienmēr ir mācījies~vienmēr ir mācījusies} labi], bet tagad viss "
        "ir mainījies.",
    ],
    "parent": [
        "Esam ļoti [neapmierināti|sarūgtināti|noguruši no šīs situācijas].",
        "Citi vecāki [novērojuši to pašu|apstiprina, ka tas notiek arī ar viņu bērniem].",
        "Nezinu, [ko vēl darīt|pie kā vēl vērsties].",
        "Runājām ar [klases audzinātāju|{head_acc}|skolas vadību], bet [nekas nemainījās|mums teica, ka viss ir "
        "kārtībā|situācija tikai pasliktinājās|solīja risināt, bet nekas nenotika].",
        "Par to jau [rakstījām|ziņojām] [skolai|pašvaldības izglītības pārvaldei], bet [atbildes nav|atbilde "
        "bija formāla].",
        "Mums ir [saglabāti ekrānuzņēmumi|saglabāta sarakste], ja nepieciešams.",
        "Negribu, lai {child} [cieš|mācās šādos apstākļos].",
    ],
    "pupil": [
        "es nezinu ko darīt",
        "vecākiem negribu stāstīt",
        "Mums visiem klasē tas ir apnicis.",
        "Tas notiek [katru dienu|katru nedēļu|jau ilgi].",
    ],
    "staff": [
        "Vadība uz maniem ziņojumiem nereaģē.",
        "Baidos, ka par šo ziņojumu mani [atlaidīs|sodīs].",
        "Kolēģi [baidās runāt|zina, bet klusē].",
    ],
}

GREETINGS = {
    "formal": [
        "Labdien!",
        "Labdien.",
        "Labdien,",
        "Godātie kungi un dāmas!",
        "Cienījamie Izglītības kvalitātes valsts dienesta darbinieki!",
        "Labdien, cienījamie speciālisti!",
        "Labdien! Vēršos pie Jums ar sūdzību.",
        "Labdien, rakstu saistībā ar situāciju skolā.",
    ],
    "informal": [
        "Sveiki!",
        "Sveiki,",
        "Labdien",
        "Čau.",
        "Labvakar!",
        "Sveiki, man ir sūdzība.",
        "Labdien, nezinu, vai rakstu pareizajā vietā.",
        "Sveiki, gribu pastāstīt, kas notiek mūsu skolā.",
    ],
}

INTRODUCTIONS = {
    "parent": [
        "{child} mācās {school_loc} {grade} klasē.",
        "Esmu {grade} klases {g:skolnieka~skolnieces} {sg:tēvs~māte}.",
        "Rakstu kā {grade} klases {g:skolnieka~skolnieces} likumiskais pārstāvis.",
        "Vēršos pie Jums kā {sg:tēvs~māte}, {sg:kura~kuras} bērns mācās {school_loc}.",
        "{child} šogad sāka mācīties {school_loc}.",
    ],
    "other": [
        "Rakstu par {child_acc}, {he} mācās {school_loc} {grade} klasē.",
        "Esmu {sg:aizbildnis~aizbildne} un rakstu bērna vārdā.",
        "Rakstu anonīmi, jo baidos, ka bērnam būs nepatikšanas.",
        "Esmu {sg:vectēvs~vecmāmiņa}, mazbērns mācās {school_loc}.",
    ],
    "pupil": [
        "Es mācos {school_loc} {grade} klasē.",
        "Esmu {grade} klases {sg:skolnieks~skolniece}.",
        "man ir {age} gadi un es mācos {grade} klasē",
        "Rakstu, jo nezinu, pie kā vēl vērsties.",
    ],
    "teacher": [
        "Strādāju {school_loc} par {subject_gen} skolotāju.",
        "Esmu pedagogs {school_loc} jau {years} gadus.",
        "Esmu {sg:bijušais~bijusī} {school_gen} {sg:darbinieks~darbiniece}.",
        "Vēlos anonīmi informēt par situāciju skolā, kurā strādāju.",
    ],
}

REQUESTS = {
    "formal": [
        "Lūdzu izvērtēt situāciju un sniegt atbildi.",
        "Lūdzu veikt pārbaudi {school_loc}.",
        "Lūdzu [izvērtēt|pārbaudīt], vai skolas rīcība ir likumīga.",
        "Lūdzu rīkoties, lai situācija mainītos.",
        "Gaidu Jūsu atbildi [rakstiski|uz e-pastu].",
        "Lūdzu neatklāt manu vārdu skolai.",
        "Ceru uz Jūsu palīdzību.",
        "Lūdzu sniegt skaidrojumu, kā rīkoties tālāk.",
    ],
    "informal": ["Lūdzu palīdziet!", "lūdzu kaut ko dariet", "Paldies jau iepriekš.", "Ceru, ka palīdzēsiet."],
}

CLOSINGS = ["Ar cieņu,\n{name}", "Ar cieņu, {name}", "{name}", "Paldies.", "Paldies!", "Ar cieņu"]

FIRST_NAMES = {
    "m": [
        "Jānis",
        "Andris",
        "Mārtiņš",
        "Edgars",
        "Kārlis",
        "Aivars",
        "Dmitrijs",
        "Sergejs",
        "Raivis",
        "Artūrs",
        "Roberts",
        "Gints",
        "Uldis",
        "Pēteris",
        "Aleksandrs",
    ],
    "f": [
        "Inese",
        "Ilze",
        "Līga",
        "Kristīne",
        "Anna",
        "Laura",
        "Dace",
        "Sandra",
        "Ieva",
        "Baiba",
        "Marina",
        "Jeļena",
        "Olga",
        "Santa",
        "Zane",
        "Agnese",
    ],
}
SURNAMES = [
    ("Bērziņš", "Bērziņa"),
    ("Kalniņš", "Kalniņa"),
    ("Ozoliņš", "Ozoliņa"),
    ("Jansons", "Jansone"),
    ("Liepiņš", "Liepiņa"),
    ("Krūmiņš", "Krūmiņa"),
    ("Balodis", "Balode"),
    ("Zariņš", "Zariņa"),
    ("Petrovs", "Petrova"),
    ("Ivanovs", "Ivanova"),
    ("Vītols", "Vītola"),
    ("Kļaviņš", "Kļaviņa"),
    ("Eglītis", "Eglīte"),
    ("Lācis", "Lāce"),
    ("Kuzņecovs", "Kuzņecova"),
]

# Child noun phrases per submitter: (nominative, genitive, dative, accusative, gender).
CHILDREN: dict[str, list[tuple[str, str, str, str, str]]] = {
    "parent": [
        ("mans dēls", "mana dēla", "manam dēlam", "manu dēlu", "m"),
        ("mana meita", "manas meitas", "manai meitai", "manu meitu", "f"),
        ("mūsu dēls", "mūsu dēla", "mūsu dēlam", "mūsu dēlu", "m"),
        ("mūsu meita", "mūsu meitas", "mūsu meitai", "mūsu meitu", "f"),
        ("mans bērns", "mana bērna", "manam bērnam", "manu bērnu", "m"),
        ("dēls", "dēla", "dēlam", "dēlu", "m"),
        ("meita", "meitas", "meitai", "meitu", "f"),
    ],
    "other": [
        ("mans mazdēls", "mana mazdēla", "manam mazdēlam", "manu mazdēlu", "m"),
        ("mana mazmeita", "manas mazmeitas", "manai mazmeitai", "manu mazmeitu", "f"),
        ("mans aizbilstamais", "mana aizbilstamā", "manam aizbilstamajam", "manu aizbilstamo", "m"),
        ("bērns", "bērna", "bērnam", "bērnu", "m"),
    ],
    "teacher": [
        ("{grade} klases skolēns", "{grade} klases skolēna", "{grade} klases skolēnam", "{grade} klases skolēnu", "m"),
        (
            "{grade} klases skolniece",
            "{grade} klases skolnieces",
            "{grade} klases skolniecei",
            "{grade} klases skolnieci",
            "f",
        ),
        ("kāds mans skolēns", "kāda mana skolēna", "kādam manam skolēnam", "kādu manu skolēnu", "m"),
        ("kāda skolniece", "kādas skolnieces", "kādai skolniecei", "kādu skolnieci", "f"),
    ],
    "pupil": [
        ("mans klasesbiedrs", "mana klasesbiedra", "manam klasesbiedram", "manu klasesbiedru", "m"),
        ("mana klasesbiedrene", "manas klasesbiedrenes", "manai klasesbiedrenei", "manu klasesbiedreni", "f"),
        ("mans draugs", "mana drauga", "manam draugam", "manu draugu", "m"),
        ("mana draudzene", "manas draudzenes", "manai draudzenei", "manu draudzeni", "f"),
    ],
}

# Subjects: (nominative, genitive, locative).
SUBJECTS = [
    ("matemātika", "matemātikas", "matemātikā"),
    ("latviešu valoda", "latviešu valodas", "latviešu valodā"),
    ("angļu valoda", "angļu valodas", "angļu valodā"),
    ("vēsture", "vēstures", "vēsturē"),
    ("fizika", "fizikas", "fizikā"),
    ("ķīmija", "ķīmijas", "ķīmijā"),
    ("bioloģija", "bioloģijas", "bioloģijā"),
    ("sports", "sporta", "sportā"),
    ("mūzika", "mūzikas", "mūzikā"),
    ("ģeogrāfija", "ģeogrāfijas", "ģeogrāfijā"),
    ("datorika", "datorikas", "datorikā"),
    ("dabaszinības", "dabaszinību", "dabaszinībās"),
    ("sociālās zinības", "sociālo zinību", "sociālajās zinībās"),
    ("literatūra", "literatūras", "literatūrā"),
    ("krievu valoda", "krievu valodas", "krievu valodā"),
    ("vizuālā māksla", "vizuālās mākslas", "vizuālajā mākslā"),
]

# Staff noun phrases: (nominative, genitive, dative, accusative, gender); "{S}" is a subject's genitive.
TEACHERS = [
    ("klases audzinātāja", "klases audzinātājas", "klases audzinātājai", "klases audzinātāju", "f"),
    ("klases audzinātājs", "klases audzinātāja", "klases audzinātājam", "klases audzinātāju", "m"),
    ("{S} skolotāja", "{S} skolotājas", "{S} skolotājai", "{S} skolotāju", "f"),
    ("{S} skolotāja", "{S} skolotājas", "{S} skolotājai", "{S} skolotāju", "f"),
    ("{S} skolotājs", "{S} skolotāja", "{S} skolotājam", "{S} skolotāju", "m"),
    ("sākumskolas skolotāja", "sākumskolas skolotājas", "sākumskolas skolotājai", "sākumskolas skolotāju", "f"),
    ("direktores vietniece", "direktores vietnieces", "direktores vietniecei", "direktores vietnieci", "f"),
]
HEADS = [
    ("direktore", "direktores", "direktorei", "direktori", "f"),
    ("direktors", "direktora", "direktoram", "direktoru", "m"),
    ("skolas direktore", "skolas direktores", "skolas direktorei", "skolas direktori", "f"),
]

TOWNS = [
    "Rīgas",
    "Daugavpils",
    "Liepājas",
    "Jelgavas",
    "Jūrmalas",
    "Ventspils",
    "Rēzeknes",
    "Valmieras",
    "Jēkabpils",
    "Ogres",
    "Tukuma",
    "Cēsu",
    "Salaspils",
    "Siguldas",
    "Bauskas",
    "Kuldīgas",
    "Talsu",
    "Dobeles",
    "Madonas",
    "Alūksnes",
    "Gulbenes",
    "Limbažu",
    "Saldus",
    "Ādažu",
    "Mārupes",
]
# School types: (locative, genitive).
SCHOOL_TYPES = [
    ("vidusskolā", "vidusskolas"),
    ("pamatskolā", "pamatskolas"),
    ("ģimnāzijā", "ģimnāzijas"),
    ("valsts ģimnāzijā", "valsts ģimnāzijas"),
    ("sākumskolā", "sākumskolas"),
    ("tehnikumā", "tehnikuma"),
    ("speciālajā pamatskolā", "speciālās pamatskolas"),
]

WHEN = [
    "vakar",
    "šodien",
    "pagājušajā nedēļā",
    "šonedēļ",
    "pirms divām nedēļām",
    "pagājušajā piektdienā",
    "pirmdien",
    "{day}. {month}",
    "šī mācību gada sākumā",
    "pagājušajā mēnesī",
]
MONTHS_LOC = ["janvārī", "februārī", "martā", "aprīlī", "maijā", "septembrī", "oktobrī", "novembrī", "decembrī"]
SINCE = [
    "septembra",
    "oktobra",
    "mācību gada sākuma",
    "Ziemassvētkiem",
    "rudens brīvdienām",
    "janvāra",
    "pagājušā gada",
]
