// The hand-written name tables. Spellings after the first are the variants found in real
// documents for the same name: other transliteration systems (BGN/PCGN, ISO 9, passport
// rules, French and German renderings), Wade-Giles and Cantonese for Chinese, hyphenation
// for Korean, article and hyphen forms for Arabic.
#include <array>
#include <stdexcept>
#include <string>

#include "simulation/names.h"

namespace cordon::simulation::detail {
namespace {

// --- Russia -------------------------------------------------------------------------------
constexpr Word kRuMale[] = {
    {"Александр", "Aleksandr|Alexander|Alexandre"}, {"Сергей", "Sergey|Sergei|Serguei"},
    {"Дмитрий", "Dmitriy|Dmitry|Dmitri"},           {"Андрей", "Andrey|Andrei"},
    {"Алексей", "Aleksey|Alexey|Alexei"},           {"Михаил", "Mikhail|Mikhael|Michail"},
    {"Юрий", "Yuriy|Yuri|Yury|Iouri"},              {"Евгений", "Yevgeniy|Evgeny|Evgenii"},
    {"Николай", "Nikolay|Nikolai"},                 {"Владимир", "Vladimir|Wladimir"},
    {"Игорь", "Igor"},                              {"Олег", "Oleg"},
    {"Вячеслав", "Vyacheslav|Viacheslav"},          {"Артём", "Artyom|Artem|Artiom"},
    {"Максим", "Maksim|Maxim"},                     {"Роман", "Roman"},
};
constexpr Word kRuPatronymic[] = {
    {"Сергеевич", "Sergeyevich|Sergeevich"},       {"Александрович", "Aleksandrovich|Alexandrovich"},
    {"Владимирович", "Vladimirovich"},             {"Николаевич", "Nikolayevich|Nikolaevich"},
    {"Викторович", "Viktorovich|Victorovich"},     {"Игоревич", "Igorevich"},
    {"Юрьевич", "Yuryevich|Yurievich|Iourievitch"}, {"Петрович", "Petrovich"},
    {"Анатольевич", "Anatolyevich|Anatolievich"},  {"Геннадьевич", "Gennadyevich|Gennadievich"},
    {"Михайлович", "Mikhaylovich|Mikhailovich"},
};
constexpr Word kRuSurnames[] = {
    {"Иванов", "Ivanov"},          {"Петров", "Petrov"},
    {"Смирнов", "Smirnov"},        {"Кузнецов", "Kuznetsov|Kuznetsow|Kouznetsov"},
    {"Волков", "Volkov|Wolkow"},   {"Соколов", "Sokolov|Sokolow"},
    {"Лебедев", "Lebedev|Lebedew"}, {"Козлов", "Kozlov|Koslow"},
    {"Новиков", "Novikov|Nowikow"}, {"Морозов", "Morozov|Morosow"},
    {"Воробьёв", "Vorobyov|Vorobiev|Vorobjov"}, {"Фёдоров", "Fyodorov|Fedorov|Fjodorow"},
    {"Григорьев", "Grigoryev|Grigoriev"},       {"Ковалёв", "Kovalyov|Kovalev|Kovaliov"},
    {"Захаров", "Zakharov|Zaharov|Sacharow"},   {"Жуков", "Zhukov|Joukov|Schukow"},
    {"Белов", "Belov"},            {"Тарасов", "Tarasov"},
};
constexpr Word kRuStems[] = {
    {"Балтийский Транзит", "Baltiyskiy Tranzit|Baltiysky Tranzit|Baltic Transit"},
    {"Северный Путь", "Severnyy Put|Severny Put|Northern Way"},
    {"Альфа-Логистик", "Alfa-Logistik|Alpha-Logistic|Alfa Logistik"},
    {"ТрансЛес", "TransLes|Trans Les"},
    {"Восток-Импорт", "Vostok-Import|Vostok Import|East-Import"},
    {"СтройМеталл", "StroyMetall|StroiMetall|Stroy Metall"},
    {"Промсервис", "Promservis|Promservice"},
    {"Меридиан", "Meridian"},
    {"ТехноПром", "TekhnoProm|TechnoProm|TehnoProm"},
    {"Уральская Сталь", "Uralskaya Stal|Ural Steel"},
    {"Евразия Трейд", "Yevraziya Treyd|Evrazia Trade|Eurasia Trade"},
    {"Ладога", "Ladoga"},
    {"Спецмашимпорт", "Spetsmashimport|Specmashimport"},
    {"Гранит", "Granit|Granite"},
};
constexpr LegalForm kRuForms[] = {
    {{"ООО", "OOO|LLC|Limited Liability Company"}, true},
    {{"АО", "AO|JSC|Joint Stock Company"}, true},
    {{"ПАО", "PAO|PJSC"}, true},
};
constexpr LegalForm kRuSole[] = {{{"ИП", "IP|Individual Entrepreneur"}, true}};
constexpr City kRuCities[] = {
    {{"Москва", "Moscow|Moskva"}, "1#####"},
    {{"Санкт-Петербург", "Saint Petersburg|Sankt-Peterburg"}, "19####"},
    {{"Калининград", "Kaliningrad"}, "236###"},
    {{"Новосибирск", "Novosibirsk"}, "630###"},
    {{"Екатеринбург", "Yekaterinburg|Ekaterinburg"}, "620###"},
};
constexpr Word kRuStreets[] = {
    {"ул. Ленина", "ul. Lenina"},       {"пр. Мира", "pr. Mira"},
    {"ул. Садовая", "ul. Sadovaya"},    {"ул. Гагарина", "ul. Gagarina"},
    {"Ленинградский пр.", "Leningradskiy pr."}, {"ул. Промышленная", "ul. Promyshlennaya"},
};

// --- Belarus -------------------------------------------------------------------------------
// Belarusian passports transliterate from Belarusian ("Siarhei", "Aliaksandr"); the same
// people appear in Russian-based spellings in trade documents.
constexpr Word kByMale[] = {
    {"Александр", "Aliaksandr|Aleksandr|Alexander"}, {"Сергей", "Siarhei|Sergey|Sergei"},
    {"Дмитрий", "Dzmitry|Dmitriy|Dmitry"},           {"Андрей", "Andrei|Andrey|Andrej"},
    {"Павел", "Pavel|Paval|Pawel"},                  {"Виктор", "Viktar|Viktor|Victor"},
    {"Юрий", "Yury|Yuriy|Iouri"},                    {"Николай", "Mikalai|Nikolay|Nikolai"},
    {"Владимир", "Uladzimir|Vladimir"},              {"Игорь", "Ihar|Igor"},
};
constexpr Word kByPatronymic[] = {
    {"Иванович", "Ivanovich|Ivanavich"},            {"Петрович", "Piatrovich|Petrovich"},
    {"Михайлович", "Mikhailovich|Mikhaylovich"},    {"Васильевич", "Vasilyevich|Vasilievich"},
    {"Александрович", "Aliaksandravich|Aleksandrovich"}, {"Николаевич", "Mikalaevich|Nikolaevich"},
};
constexpr Word kBySurnames[] = {
    {"Лукашевич", "Lukashevich|Lukashevich|Lukaszewicz"}, {"Ковальчук", "Kavalchuk|Kovalchuk"},
    {"Новик", "Novik|Nowik"},            {"Жук", "Zhuk|Zuk|Shuk"},
    {"Климович", "Klimovich|Klimovitch"}, {"Мельник", "Melnik|Melnyk"},
    {"Бондаренко", "Bondarenko"},        {"Козловский", "Kozlovskiy|Kazlouski|Kozlovsky"},
    {"Сидоренко", "Sidorenko"},          {"Ткачук", "Tkachuk|Tkatchouk"},
    {"Яковлев", "Yakovlev|Jakowlew"},    {"Шарапов", "Sharapov|Charapov"},
};
constexpr Word kByStems[] = {
    {"Белтрансэкспорт", "Beltransexport|Beltransexport|Bel-Trans-Export"},
    {"Неман-Лес", "Neman-Les|Neman Les"},
    {"Полесье", "Polesye|Palessie|Polesie"},
    {"МинскАгро", "MinskAgro|Minsk Agro"},
    {"Брестснаб", "Brestsnab"},
    {"Калий-Трейд", "Kaliy-Treyd|Kali-Trade|Kaliy Trade"},
    {"Белмебель", "Belmebel"},
    {"Двина", "Dvina|Dzvina"},
};
constexpr LegalForm kByForms[] = {
    {{"ООО", "OOO|LLC"}, true},
    {{"ЧУП", "ChUP|CHUP|Private Unitary Enterprise"}, true},
    {{"ОАО", "OAO|OJSC"}, true},
};
constexpr City kByCities[] = {
    {{"Минск", "Minsk"}, "220###"},   {{"Брест", "Brest"}, "224###"},
    {{"Гродно", "Grodno|Hrodna"}, "230###"}, {{"Гомель", "Gomel|Homel"}, "246###"},
    {{"Витебск", "Vitebsk|Viciebsk"}, "210###"},
};
constexpr Word kByStreets[] = {
    {"ул. Притыцкого", "ul. Pritytskogo"},     {"пр. Независимости", "pr. Nezavisimosti"},
    {"ул. Кальварийская", "ul. Kalvariyskaya"}, {"ул. Московская", "ul. Moskovskaya"},
    {"ул. Брестская", "ul. Brestskaya"},
};

// --- Ukraine -------------------------------------------------------------------------------
constexpr Word kUaMale[] = {
    {"Олександр", "Oleksandr|Aleksandr|Alexander"}, {"Сергій", "Serhii|Serhiy|Sergiy"},
    {"Дмитро", "Dmytro|Dmitro|Dmitriy"},            {"Андрій", "Andrii|Andriy|Andrey"},
    {"Юрій", "Yurii|Yuriy|Iurii"},                  {"Володимир", "Volodymyr|Vladimir"},
    {"Тарас", "Taras"},                             {"Богдан", "Bohdan|Bogdan"},
    {"Віктор", "Viktor|Victor"},                    {"Микола", "Mykola|Nikolai"},
};
constexpr Word kUaFemale[] = {
    {"Олена", "Olena|Elena"}, {"Наталія", "Nataliia|Natalia|Natalya"},
    {"Ірина", "Iryna|Irina"}, {"Оксана", "Oksana"},
};
constexpr Word kUaPatronymic[] = {
    {"Іванович", "Ivanovych|Ivanovich"},         {"Петрович", "Petrovych|Petrovich"},
    {"Миколайович", "Mykolaiovych|Nikolaevich"}, {"Васильович", "Vasylovych|Vasilievich"},
    {"Олександрович", "Oleksandrovych|Aleksandrovich"},
};
constexpr Word kUaPatronymicF[] = {
    {"Іванівна", "Ivanivna|Ivanovna"}, {"Петрівна", "Petrivna|Petrovna"},
    {"Миколаївна", "Mykolaivna|Nikolaevna"},
};
constexpr Word kUaSurnames[] = {
    {"Шевченко", "Shevchenko|Chevtchenko"}, {"Бойко", "Boiko|Boyko"},
    {"Коваленко", "Kovalenko"},             {"Ткаченко", "Tkachenko|Tkatchenko"},
    {"Кравченко", "Kravchenko|Krawtschenko"}, {"Олійник", "Oliinyk|Oleynik|Oliynyk"},
    {"Мельничук", "Melnychuk|Melnichuk"},   {"Поліщук", "Polishchuk|Polischuk"},
    {"Савчук", "Savchuk"},                  {"Гончаренко", "Honcharenko|Goncharenko"},
};
constexpr Word kUaStems[] = {
    {"Агро-Світ", "Ahro-Svit|Agro-Svit|Agro Svit"}, {"Захід-Транс", "Zakhid-Trans|Zahid-Trans"},
    {"Соняшник", "Soniashnyk|Sonyashnik"},         {"Укрметал", "Ukrmetal"},
    {"Карпати", "Karpaty|Karpati"},                {"Полісся-Ліс", "Polissia-Lis|Polissya-Lis"},
    {"Дніпро-Експорт", "Dnipro-Eksport|Dnipro-Export"}, {"Галичина", "Halychyna|Galichina"},
};
constexpr LegalForm kUaForms[] = {
    {{"ТОВ", "TOV|LLC"}, true},
    {{"ПП", "PP|Private Enterprise"}, true},
    {{"ПрАТ", "PrAT|PJSC"}, true},
};
constexpr LegalForm kUaSole[] = {{{"ФОП", "FOP|Individual Entrepreneur"}, true}};
constexpr City kUaCities[] = {
    {{"Київ", "Kyiv|Kiev"}, "0####"},   {{"Львів", "Lviv|Lvov"}, "79###"},
    {{"Одеса", "Odesa|Odessa"}, "65###"}, {{"Харків", "Kharkiv|Kharkov"}, "61###"},
    {{"Дніпро", "Dnipro"}, "49###"},
};
constexpr Word kUaStreets[] = {
    {"вул. Хрещатик", "vul. Khreshchatyk"}, {"вул. Городоцька", "vul. Horodotska"},
    {"просп. Перемоги", "prosp. Peremohy"}, {"вул. Шевченка", "vul. Shevchenka"},
};

// --- China ---------------------------------------------------------------------------------
constexpr Word kCnSurnames[] = {
    {"王", "Wang|Wong"},        {"李", "Li|Lee"},          {"张", "Zhang|Chang|Cheung"},
    {"刘", "Liu|Lau"},          {"陈", "Chen|Chan"},       {"杨", "Yang|Yeung"},
    {"黄", "Huang|Wong"},       {"赵", "Zhao|Chao|Chiu"},  {"吴", "Wu|Ng"},
    {"周", "Zhou|Chou|Chow"},   {"徐", "Xu|Hsu|Tsui"},     {"孙", "Sun|Suen"},
    {"林", "Lin|Lam"},          {"郭", "Guo|Kuo|Kwok"},
};
constexpr Word kCnMale[] = {
    {"伟", "Wei"},                            {"强", "Qiang|Chiang"},
    {"建华", "Jianhua|Jian Hua|Chien-hua"},   {"志明", "Zhiming|Zhi Ming|Chih-ming"},
    {"晓东", "Xiaodong|Xiao Dong|Hsiao-tung"}, {"海涛", "Haitao|Hai Tao"},
    {"国强", "Guoqiang|Guo Qiang|Kuo-chiang"}, {"俊杰", "Junjie|Jun Jie|Chun-chieh"},
    {"文斌", "Wenbin|Wen Bin"},               {"磊", "Lei"},
    {"永康", "Yongkang|Yong Kang|Yung-kang"}, {"家豪", "Jiahao|Jia Hao|Ka Ho"},
};
constexpr Word kCnFemale[] = {
    {"丽", "Li"},          {"静", "Jing|Ching"}, {"秀英", "Xiuying|Xiu Ying|Hsiu-ying"},
    {"晓燕", "Xiaoyan|Xiao Yan"}, {"慧敏", "Huimin|Hui Min"}, {"芳", "Fang"},
};
constexpr Word kCnStems[] = {
    {"华鑫", "Huaxin|Hua Xin"},     {"恒通", "Hengtong|Heng Tong"}, {"金龙", "Jinlong|Jin Long|Kinglong"},
    {"盛达", "Shengda|Sheng Da"},   {"永兴", "Yongxing|Yong Xing"}, {"宏远", "Hongyuan|Hong Yuan"},
    {"鸿运", "Hongyun|Hong Yun"},   {"天成", "Tiancheng|Tian Cheng"}, {"中远", "Zhongyuan|Zhong Yuan"},
    {"新世纪", "Xinshiji|New Century"}, {"东方", "Dongfang|Orient"}, {"瑞丰", "Ruifeng|Rui Feng"},
    {"嘉禾", "Jiahe|Jia He|Golden Harvest"}, {"博源", "Boyuan|Bo Yuan"},
};
constexpr Word kCnIndustries[] = {
    {"电子", "Electronics|Electronic"},   {"纺织", "Textile|Textiles"},
    {"贸易", "Trading|Trade"},            {"进出口", "Import and Export|Imp. & Exp."},
    {"机械", "Machinery|Machinery Manufacturing"}, {"家具", "Furniture"},
    {"科技", "Technology|Tech"},          {"实业", "Industrial|Industry"},
};
constexpr LegalForm kCnForms[] = {
    {{"有限公司", "Co., Ltd.|Company Limited|Co. Ltd"}, false},
    {{"股份有限公司", "Co., Ltd.|Stock Co., Ltd.|Corporation"}, false},
};
constexpr City kCnCities[] = {
    {{"上海", "Shanghai"}, "200###"},  {{"宁波", "Ningbo"}, "315###"},
    {{"深圳", "Shenzhen"}, "518###"},  {{"广州", "Guangzhou|Canton"}, "510###"},
    {{"义乌", "Yiwu"}, "322###"},      {{"青岛", "Qingdao|Tsingtao"}, "266###"},
    {{"苏州", "Suzhou"}, "215###"},    {{"东莞", "Dongguan"}, "523###"},
    {{"厦门", "Xiamen|Amoy"}, "361###"}, {{"重庆", "Chongqing"}, "400###"},
};
constexpr Word kCnStreets[] = {
    {"人民路", "Renmin Road"},    {"解放路", "Jiefang Road"},   {"中山路", "Zhongshan Road"},
    {"建设大道", "Jianshe Avenue"}, {"工业大道", "Gongye Avenue"}, {"长江路", "Changjiang Road"},
};

// --- Korea ---------------------------------------------------------------------------------
constexpr Word kKrSurnames[] = {
    {"김", "Kim|Gim"}, {"이", "Lee|Yi|Rhee"}, {"박", "Park|Pak|Bak"}, {"최", "Choi|Choe"},
    {"정", "Jung|Jeong|Chung"}, {"강", "Kang|Gang"}, {"조", "Cho|Jo"}, {"윤", "Yoon|Yun"},
};
constexpr Word kKrMale[] = {
    {"민준", "Min-jun|Minjun|Min Jun"}, {"서준", "Seo-jun|Seojun"}, {"도윤", "Do-yun|Doyun"},
    {"성민", "Sung-min|Seongmin|Sung Min"}, {"지훈", "Ji-hoon|Jihun|Ji Hoon"}, {"영수", "Young-soo|Yeongsu"},
};
constexpr Word kKrFemale[] = {
    {"서연", "Seo-yeon|Seoyeon"}, {"지민", "Ji-min|Jimin"}, {"수빈", "Su-bin|Subin"},
};
constexpr Word kKrStems[] = {
    {"한성", "Hansung|Hanseong"}, {"대한", "Daehan|Taehan"}, {"삼화", "Samhwa"},
    {"동아", "Donga|Dong-A"},     {"세진", "Sejin"},         {"태광", "Taekwang"},
};
constexpr Word kKrIndustries[] = {
    {"전자", "Electronics"}, {"물산", "Trading|Corporation"}, {"산업", "Industrial|Industries"},
    {"정밀", "Precision"},
};
constexpr LegalForm kKrForms[] = {{{"(주)", "Co., Ltd.|Corp.|Co. Ltd"}, true}};
constexpr City kKrCities[] = {
    {{"서울", "Seoul"}, "0####"}, {{"부산", "Busan|Pusan"}, "4####"},
    {{"인천", "Incheon|Inchon"}, "2####"}, {{"창원", "Changwon"}, "5####"},
};
constexpr Word kKrStreets[] = {
    {"테헤란로", "Teheran-ro"}, {"세종대로", "Sejong-daero"}, {"중앙대로", "Jungang-daero"},
};

// --- Vietnam -------------------------------------------------------------------------------
constexpr Word kVnSurnames[] = {
    {"Nguyễn", "Nguyen|Nguyen"}, {"Trần", "Tran"}, {"Lê", "Le"}, {"Phạm", "Pham"},
    {"Hoàng", "Hoang|Huynh"},    {"Vũ", "Vu|Vo"},   {"Đặng", "Dang"}, {"Bùi", "Bui"},
    {"Đỗ", "Do"}, {"Ngô", "Ngo"},
};
constexpr Word kVnMiddleMale[] = {{"Văn", "Van"}, {"Đức", "Duc"}, {"Minh", "Minh"}, {"Quang", "Quang"}, {"Hữu", "Huu"}};
constexpr Word kVnMiddleFemale[] = {{"Thị", "Thi"}, {"Ngọc", "Ngoc"}};
constexpr Word kVnMale[] = {
    {"Hùng", "Hung"}, {"Dũng", "Dung"}, {"Tuấn", "Tuan"}, {"Nam", "Nam"},
    {"Long", "Long"}, {"Thắng", "Thang"}, {"Phong", "Phong"}, {"Quân", "Quan"},
};
constexpr Word kVnFemale[] = {{"Lan", "Lan"}, {"Hương", "Huong"}, {"Mai", "Mai"}, {"Linh", "Linh"}, {"Thảo", "Thao"}};
constexpr Word kVnStems[] = {
    {"Hoàng Phát", "Hoang Phat"}, {"Thành Công", "Thanh Cong"}, {"Việt Tiến", "Viet Tien"},
    {"Đại Dương", "Dai Duong|Ocean"}, {"Phú Thịnh", "Phu Thinh"}, {"Minh Anh", "Minh Anh"},
    {"Sao Mai", "Sao Mai|Morning Star"}, {"Tân Hiệp", "Tan Hiep"},
};
constexpr Word kVnIndustries[] = {
    {"Thương mại", "Trading"}, {"Dệt may", "Garment|Textile and Garment"},
    {"Xuất nhập khẩu", "Import Export|Imex"}, {"Sản xuất", "Manufacturing"}, {"Nội thất", "Furniture"},
};
constexpr LegalForm kVnForms[] = {
    {{"Công ty TNHH", "Co., Ltd|Company Limited|Co. Ltd"}, true},
    {{"Công ty Cổ phần", "Joint Stock Company|JSC"}, true},
};
constexpr City kVnCities[] = {
    {{"TP. Hồ Chí Minh", "Ho Chi Minh City"}, "70####"}, {{"Hà Nội", "Hanoi|Ha Noi"}, "10####"},
    {{"Hải Phòng", "Hai Phong|Haiphong"}, "18####"},     {{"Bình Dương", "Binh Duong"}, "75####"},
    {{"Đà Nẵng", "Da Nang|Danang"}, "55####"},
};
constexpr Word kVnStreets[] = {
    {"Nguyễn Huệ", "Nguyen Hue"}, {"Lê Lợi", "Le Loi"}, {"Trần Hưng Đạo", "Tran Hung Dao"},
    {"Điện Biên Phủ", "Dien Bien Phu"},
};

// --- Turkey --------------------------------------------------------------------------------
constexpr Word kTrMale[] = {
    {"Mehmet", "Mehmet|Mehmed"}, {"Mustafa", "Mustafa"}, {"Ahmet", "Ahmet|Ahmed"}, {"Ali", "Ali"},
    {"Hüseyin", "Huseyin|Hueseyin"}, {"Hasan", "Hasan|Hassan"}, {"İbrahim", "Ibrahim"},
    {"Murat", "Murat|Murad"}, {"Ömer", "Omer|Oemer"}, {"Yusuf", "Yusuf|Yousuf"}, {"Emre", "Emre"},
    {"Burak", "Burak"}, {"Oğuz", "Oguz|Oghuz"}, {"Kemal", "Kemal"},
};
constexpr Word kTrFemale[] = {
    {"Ayşe", "Ayse|Aysche"}, {"Fatma", "Fatma"}, {"Emine", "Emine"}, {"Zeynep", "Zeynep"},
    {"Elif", "Elif"}, {"Özlem", "Ozlem|Oezlem"},
};
constexpr Word kTrSurnames[] = {
    {"Yılmaz", "Yilmaz|Yilmas"}, {"Kaya", "Kaya"}, {"Demir", "Demir"}, {"Şahin", "Sahin|Schahin"},
    {"Çelik", "Celik|Tschelik"}, {"Yıldız", "Yildiz"}, {"Yıldırım", "Yildirim"},
    {"Öztürk", "Ozturk|Oeztuerk"}, {"Aydın", "Aydin"}, {"Özdemir", "Ozdemir|Oezdemir"},
    {"Arslan", "Arslan|Aslan"}, {"Doğan", "Dogan"}, {"Kılıç", "Kilic|Kilich"}, {"Çetin", "Cetin"},
    {"Koç", "Koc|Koch"}, {"Kurt", "Kurt"}, {"Şimşek", "Simsek"},
};
constexpr Word kTrStems[] = {
    {"Anadolu", "Anadolu"}, {"Marmara", "Marmara"}, {"Yıldız", "Yildiz"}, {"Ege", "Ege"},
    {"Boğaziçi", "Bogazici"}, {"Karadeniz", "Karadeniz"}, {"Özgür", "Ozgur"}, {"Güneş", "Gunes"},
    {"Tuna", "Tuna"}, {"Derya", "Derya"}, {"Akdeniz", "Akdeniz"}, {"Kartal", "Kartal"},
};
constexpr Word kTrIndustries[] = {
    {"Tekstil Sanayi ve Ticaret", "Tekstil Sanayi ve Ticaret|Tekstil San. ve Tic."},
    {"Gıda", "Gida|Food"}, {"Lojistik", "Lojistik|Logistics"},
    {"Dış Ticaret", "Dis Ticaret|Foreign Trade"}, {"Otomotiv", "Otomotiv|Automotive"},
    {"Mobilya", "Mobilya|Furniture"}, {"Metal Sanayi", "Metal Sanayi|Metal San."},
};
constexpr LegalForm kTrForms[] = {
    {{"Ltd. Şti.", "Ltd. Sti.|Ltd.|Limited Sirketi"}, false},
    {{"A.Ş.", "A.S.|AS|Inc."}, false},
};
constexpr City kTrCities[] = {
    {{"İstanbul", "Istanbul"}, "34###"}, {{"İzmir", "Izmir"}, "35###"}, {{"Bursa", "Bursa"}, "16###"},
    {{"Mersin", "Mersin"}, "33###"},     {{"Gaziantep", "Gaziantep"}, "27###"},
    {{"Denizli", "Denizli"}, "20###"},   {{"Kayseri", "Kayseri"}, "38###"},
};
constexpr Word kTrStreets[] = {
    {"Atatürk Caddesi", "Ataturk Caddesi"}, {"Cumhuriyet Caddesi", "Cumhuriyet Caddesi"},
    {"İstiklal Caddesi", "Istiklal Caddesi"}, {"Organize Sanayi Bölgesi 3. Cadde", "Organize Sanayi Bolgesi 3. Cadde"},
};

// --- United Arab Emirates ------------------------------------------------------------------
constexpr Word kAeMale[] = {
    {"محمد", "Mohammed|Muhammad|Mohamed|Mohamad"}, {"أحمد", "Ahmed|Ahmad"}, {"علي", "Ali"},
    {"خالد", "Khalid|Khaled"}, {"عبدالله", "Abdullah|Abdallah|Abdulla"}, {"سعيد", "Saeed|Said|Saeid"},
    {"حسن", "Hassan|Hasan"}, {"عمر", "Omar|Umar"}, {"يوسف", "Yousef|Yusuf|Youssef"},
    {"راشد", "Rashid|Rashed"},
};
constexpr Word kAeFemale[] = {{"فاطمة", "Fatima|Fatma"}, {"مريم", "Mariam|Maryam"}, {"عائشة", "Aisha|Aysha"}};
constexpr Word kAeMiddle[] = {
    {"بن سعيد", "bin Saeed|bin Said|Bin Saeed"}, {"بن راشد", "bin Rashid|bin Rashed"},
    {"بن علي", "bin Ali"}, {"بن أحمد", "bin Ahmed|bin Ahmad"}, {"بن خليفة", "bin Khalifa|bin Khalifah"},
};
constexpr Word kAeMiddleF[] = {{"بنت محمد", "bint Mohammed|bint Muhammad"}, {"بنت علي", "bint Ali"}};
constexpr Word kAeSurnames[] = {
    {"الهاشمي", "Al Hashimi|Al-Hashemi|Alhashimi"}, {"المنصوري", "Al Mansouri|Al-Mansoori|Almansoori"},
    {"الشامسي", "Al Shamsi|Al-Shamsi|Alshamsi"},    {"الزعابي", "Al Zaabi|Al-Zaabi"},
    {"الكعبي", "Al Kaabi|Al-Kaabi|Alkaabi"},        {"النعيمي", "Al Nuaimi|Al-Nuaimi|Al Naimi"},
    {"الفلاسي", "Al Falasi|Al-Falasi"},             {"الحمادي", "Al Hammadi|Al-Hammadi"},
};
constexpr Word kAeStems[] = {
    {"النور", "Al Noor|Al Nour|Alnoor"}, {"الخليج", "Gulf|Al Khaleej"}, {"الصقر", "Al Saqr|Falcon"},
    {"الأمل", "Al Amal"}, {"النجمة", "Al Najma|Star"}, {"البحر الأزرق", "Blue Sea|Al Bahr Al Azraq"},
    {"الواحة", "Oasis|Al Waha"}, {"الصحراء", "Desert|Al Sahraa"},
};
constexpr Word kAeIndustries[] = {
    {"للتجارة العامة", "General Trading|Gen. Trading"}, {"للشحن", "Shipping|Freight"},
    {"للإلكترونيات", "Electronics"}, {"للتجارة", "Trading"},
};
constexpr LegalForm kAeForms[] = {
    {{"ذ.م.م", "LLC|L.L.C."}, false},
    {{"م.م.ح", "FZE|F.Z.E."}, false},
    {{"م.د.م.س", "DMCC"}, false},
};
constexpr City kAeCities[] = {
    {{"دبي", "Dubai"}, "00000"}, {{"الشارقة", "Sharjah"}, "00000"},
    {{"جبل علي", "Jebel Ali"}, "00000"}, {{"أبوظبي", "Abu Dhabi"}, "00000"},
};
constexpr Word kAeStreets[] = {
    {"شارع الشيخ زايد", "Sheikh Zayed Road"}, {"شارع المكتوم", "Al Maktoum Road"},
    {"المنطقة الحرة جنوب", "Jafza South"}, {"شارع الخليج التجاري", "Al Khaleej Al Tejari Street"},
};

// --- Greece --------------------------------------------------------------------------------
constexpr Word kGrMale[] = {
    {"Γεώργιος", "Georgios|Giorgos|George"}, {"Δημήτριος", "Dimitrios|Dimitris|Demetrios"},
    {"Κωνσταντίνος", "Konstantinos|Constantinos|Kostas"}, {"Ιωάννης", "Ioannis|Giannis|Yiannis"},
    {"Νικόλαος", "Nikolaos|Nikos|Nicholas"}, {"Παναγιώτης", "Panagiotis|Panayiotis"},
};
constexpr Word kGrSurnames[] = {
    {"Παπαδόπουλος", "Papadopoulos|Papadopulos"}, {"Παπαδάκης", "Papadakis"},
    {"Γεωργίου", "Georgiou|Georgiu"}, {"Οικονόμου", "Oikonomou|Economou"},
    {"Βασιλείου", "Vasileiou|Vassiliou"}, {"Νικολάου", "Nikolaou|Nicolaou"},
    {"Καραγιάννης", "Karagiannis|Karayannis"}, {"Αντωνίου", "Antoniou"},
};
constexpr Word kGrStems[] = {
    {"Αιγαίο", "Aigaio|Aegean"}, {"Όλυμπος", "Olympos|Olympus"}, {"Ποσειδών", "Poseidon|Posidon"},
    {"Ερμής", "Ermis|Hermes"}, {"Ήλιος", "Ilios|Helios"}, {"Πήγασος", "Pigasos|Pegasus"},
};
constexpr Word kGrIndustries[] = {
    {"Εμπορική", "Emporiki|Trading"}, {"Ναυτιλιακή", "Naftiliaki|Shipping"}, {"Μεταφορική", "Metaforiki|Transport"},
};
constexpr LegalForm kGrForms[] = {
    {{"Α.Ε.", "A.E.|S.A."}, false}, {{"Ε.Π.Ε.", "E.P.E.|Ltd"}, false}, {{"Ι.Κ.Ε.", "I.K.E.|P.C."}, false},
};
constexpr City kGrCities[] = {
    {{"Αθήνα", "Athina|Athens"}, "10###"}, {{"Πειραιάς", "Peiraias|Piraeus"}, "185##"},
    {{"Θεσσαλονίκη", "Thessaloniki"}, "54###"},
};
constexpr Word kGrStreets[] = {
    {"Λεωφόρος Συγγρού", "Leoforos Syngrou"}, {"Οδός Ερμού", "Odos Ermou"}, {"Ακτή Μιαούλη", "Akti Miaouli"},
};

// --- Bulgaria ------------------------------------------------------------------------------
constexpr Word kBgMale[] = {
    {"Георги", "Georgi"}, {"Иван", "Ivan"}, {"Димитър", "Dimitar|Dimitur"}, {"Николай", "Nikolay|Nikolai"},
    {"Петър", "Petar|Peter"}, {"Стоян", "Stoyan|Stojan"},
};
constexpr Word kBgSurnames[] = {
    {"Иванов", "Ivanov"}, {"Георгиев", "Georgiev"}, {"Димитров", "Dimitrov"}, {"Петров", "Petrov"},
    {"Стоянов", "Stoyanov|Stojanov"}, {"Николов", "Nikolov"}, {"Тодоров", "Todorov"},
};
constexpr Word kBgStems[] = {
    {"Тракия", "Trakia|Trakiya|Thrace"}, {"Балкан", "Balkan"}, {"Родопи", "Rodopi"},
    {"Дунав", "Dunav|Danube"}, {"Витоша", "Vitosha"}, {"Черно море", "Cherno More|Black Sea"},
};
constexpr Word kBgIndustries[] = {{"Транс", "Trans"}, {"Трейд", "Treyd|Trade"}, {"Логистик", "Logistik|Logistics"}};
constexpr LegalForm kBgForms[] = {{{"ЕООД", "EOOD|EOOD"}, false}, {{"ООД", "OOD"}, false}, {{"АД", "AD|JSC"}, false}};
constexpr City kBgCities[] = {
    {{"София", "Sofia|Sofiya"}, "1###"}, {{"Пловдив", "Plovdiv"}, "4###"}, {{"Варна", "Varna"}, "9###"},
    {{"Бургас", "Burgas"}, "8###"}, {{"Свиленград", "Svilengrad"}, "6500"},
};
constexpr Word kBgStreets[] = {
    {"бул. България", "bul. Bulgaria"}, {"ул. Раковски", "ul. Rakovski"},
    {"бул. Цариградско шосе", "bul. Tsarigradsko shose"},
};

// --- Serbia (Latin; Cyrillic is official but trade documents use Latin) -------------------
constexpr Word kRsMale[] = {
    {"Nikola", "Nikola"}, {"Marko", "Marko"}, {"Stefan", "Stefan"}, {"Miloš", "Milos|Milosh"},
    {"Dragan", "Dragan"}, {"Zoran", "Zoran"}, {"Nenad", "Nenad"}, {"Dejan", "Dejan"},
};
constexpr Word kRsFemale[] = {{"Jelena", "Jelena|Yelena"}, {"Milica", "Milica|Militsa"}, {"Marija", "Marija|Maria"}};
constexpr Word kRsSurnames[] = {
    {"Jovanović", "Jovanovic|Jovanovich"}, {"Petrović", "Petrovic|Petrovich"}, {"Nikolić", "Nikolic|Nikolich"},
    {"Marković", "Markovic|Markovich"}, {"Đorđević", "Djordjevic|Dordevic|Dzordzevic"},
    {"Stojanović", "Stojanovic"}, {"Ilić", "Ilic|Ilich"}, {"Pavlović", "Pavlovic"},
};
constexpr Word kRsStems[] = {
    {"Dunav Promet", "Dunav Promet"}, {"Morava", "Morava"}, {"Šumadija", "Sumadija"},
    {"Panonija", "Panonija|Pannonia"}, {"Avala", "Avala"}, {"Fruškać", "Fruskac"},
};
constexpr Word kRsIndustries[] = {{"Trans", "Trans"}, {"Export-Import", "Export-Import|Exim"}, {"Logistika", "Logistika|Logistics"}};
constexpr LegalForm kRsForms[] = {{{"d.o.o.", "d.o.o.|doo|LLC"}, false}, {{"a.d.", "a.d.|AD"}, false}};
constexpr City kRsCities[] = {
    {{"Beograd", "Beograd|Belgrade"}, "11###"}, {{"Novi Sad", "Novi Sad"}, "21###"},
    {{"Niš", "Nis"}, "18###"}, {{"Subotica", "Subotica"}, "24###"},
};
constexpr Word kRsStreets[] = {
    {"Bulevar oslobođenja", "Bulevar oslobodjenja"}, {"Knez Mihailova", "Knez Mihailova"},
    {"Cara Dušana", "Cara Dusana"},
};

// --- Latin-script countries, companies only or few persons --------------------------------
constexpr Word kInMale[] = {{"", "Rajesh"}, {"", "Suresh"}, {"", "Amit"}, {"", "Vikram"}, {"", "Sanjay|Sanjai"}, {"", "Rahul"}};
constexpr Word kInFemale[] = {{"", "Priya"}, {"", "Anjali"}, {"", "Sunita"}};
constexpr Word kInSurnames[] = {{"", "Sharma"}, {"", "Patel"}, {"", "Gupta"}, {"", "Singh"}, {"", "Mehta"}, {"", "Shah"}, {"", "Reddy"}, {"", "Agarwal|Aggarwal"}};
constexpr Word kInStems[] = {{"", "Shree Ganesh"}, {"", "Sunrise"}, {"", "Bharat"}, {"", "Kaveri"}, {"", "Lotus"}, {"", "Om Sai"}, {"", "Jai Hind"}, {"", "Indus"}};
constexpr Word kInIndustries[] = {{"", "Exports"}, {"", "Textiles"}, {"", "Pharmaceuticals|Pharma"}, {"", "Overseas"}, {"", "Industries"}};
constexpr LegalForm kInForms[] = {{{"", "Pvt Ltd|Private Limited|Pvt. Ltd."}, false}, {{"", "Ltd"}, false}, {{"", "LLP"}, false}};
constexpr City kInCities[] = {{{"", "Mumbai|Bombay"}, "400###"}, {{"", "Ahmedabad"}, "380###"}, {{"", "Tiruppur"}, "641###"}, {{"", "Hyderabad"}, "500###"}, {{"", "Ludhiana"}, "141###"}, {{"", "Chennai|Madras"}, "600###"}};
constexpr Word kInStreets[] = {{"", "M.G. Road"}, {"", "Andheri-Kurla Road"}, {"", "Ring Road"}, {"", "GIDC Industrial Estate"}};

constexpr Word kBdStems[] = {{"", "Dhaka Knit"}, {"", "Padma"}, {"", "Meghna"}, {"", "Rupsha"}, {"", "Jamuna"}};
constexpr Word kBdIndustries[] = {{"", "Apparels"}, {"", "Knitwear"}, {"", "Fashions"}, {"", "Composite"}};
constexpr LegalForm kBdForms[] = {{{"", "Ltd.|Limited"}, false}};
constexpr City kBdCities[] = {{{"", "Dhaka"}, "1###"}, {{"", "Chattogram|Chittagong"}, "4###"}, {{"", "Gazipur"}, "17##"}, {{"", "Narayanganj"}, "14##"}};
constexpr Word kBdStreets[] = {{"", "Dhaka-Mymensingh Highway"}, {"", "EPZ Road"}, {"", "Tongi Industrial Area"}};

constexpr Word kUsMale[] = {{"", "John"}, {"", "Michael"}, {"", "David"}, {"", "Robert"}};
constexpr Word kUsSurnames[] = {{"", "Smith"}, {"", "Johnson"}, {"", "Miller"}, {"", "Davis"}, {"", "Walker"}};
constexpr Word kUsStems[] = {{"", "Atlantic"}, {"", "Great Lakes"}, {"", "Pioneer"}, {"", "Summit"}, {"", "Liberty"}, {"", "Keystone"}};
constexpr Word kUsIndustries[] = {{"", "Industries"}, {"", "Machinery"}, {"", "Medical"}, {"", "Foods"}};
constexpr LegalForm kUsForms[] = {{{"", "Inc.|Incorporated"}, false}, {{"", "LLC"}, false}, {{"", "Corp.|Corporation"}, false}};
constexpr City kUsCities[] = {{{"", "New York"}, "10###"}, {{"", "Newark"}, "071##"}, {{"", "Houston"}, "77###"}, {{"", "Savannah"}, "314##"}, {{"", "Chicago"}, "606##"}};
constexpr Word kUsStreets[] = {{"", "Main Street"}, {"", "Commerce Drive"}, {"", "Industrial Parkway"}, {"", "Port Avenue"}};

constexpr Word kGbMale[] = {{"", "James"}, {"", "Oliver"}, {"", "William"}, {"", "Thomas"}};
constexpr Word kGbSurnames[] = {{"", "Smith"}, {"", "Jones"}, {"", "Taylor"}, {"", "Brown"}, {"", "Wilson"}, {"", "Evans"}};
constexpr Word kGbStems[] = {{"", "Thames"}, {"", "Pennine"}, {"", "Albion"}, {"", "Severn"}, {"", "Highland"}, {"", "Mersey"}};
constexpr Word kGbIndustries[] = {{"", "Trading"}, {"", "Distillers"}, {"", "Engineering"}, {"", "Logistics"}};
constexpr LegalForm kGbForms[] = {{{"", "Ltd|Limited|Ltd."}, false}, {{"", "plc|PLC"}, false}};
constexpr City kGbCities[] = {{{"", "London"}, "E14 #@@"}, {{"", "Manchester"}, "M# #@@"}, {{"", "Felixstowe"}, "IP11 #@@"}, {{"", "Birmingham"}, "B# #@@"}, {{"", "Glasgow"}, "G# #@@"}};
constexpr Word kGbStreets[] = {{"", "High Street"}, {"", "Station Road"}, {"", "Dock Road"}, {"", "Trafford Park Road"}};

constexpr Word kMyStems[] = {{"", "Sinar"}, {"", "Maju Jaya"}, {"", "Harta"}, {"", "Cahaya"}, {"", "Seri"}};
constexpr Word kMyIndustries[] = {{"", "Industries"}, {"", "Rubber Products"}, {"", "Electronics"}, {"", "Trading"}};
constexpr LegalForm kMyForms[] = {{{"", "Sdn. Bhd.|Sdn Bhd"}, false}, {{"", "Berhad|Bhd."}, false}};
constexpr City kMyCities[] = {{{"", "Klang"}, "41###"}, {{"", "George Town|Penang"}, "10###"}, {{"", "Kuala Lumpur"}, "50###"}, {{"", "Johor Bahru"}, "80###"}};
constexpr Word kMyStreets[] = {{"", "Jalan Kapar"}, {"", "Jalan Sultan Ismail"}, {"", "Jalan Perindustrian"}};

constexpr Word kBrStems[] = {{"São Jorge", "Sao Jorge"}, {"Paulista", "Paulista"}, {"Minas", "Minas"}, {"Cerrado", "Cerrado"}, {"Boa Vista", "Boa Vista"}};
constexpr Word kBrIndustries[] = {{"Café", "Cafe|Coffee"}, {"Alimentos", "Alimentos|Foods"}, {"Exportadora", "Exportadora"}};
constexpr LegalForm kBrForms[] = {{{"Ltda.", "Ltda.|Ltda"}, false}, {{"S.A.", "S.A.|SA"}, false}};
constexpr City kBrCities[] = {{{"Santos", "Santos"}, "110##-###"}, {{"São Paulo", "Sao Paulo"}, "01###-###"}, {{"Varginha", "Varginha"}, "370##-###"}};
constexpr Word kBrStreets[] = {{"Avenida Paulista", "Avenida Paulista"}, {"Rua do Comércio", "Rua do Comercio"}, {"Avenida Portuária", "Avenida Portuaria"}};

// EU member states: companies (consignees, declarants, hauliers, shipping lines).
constexpr Word kDeStems[] = {{"", "Nordhafen"}, {"", "Elbe"}, {"", "Rheinland"}, {"", "Hansa"}, {"", "Schwarzwald"}, {"", "Alster"}, {"", "Weser"}, {"", "Brandt"}, {"", "Becker & Söhne"}, {"", "Kaiser"}};
constexpr Word kDeIndustries[] = {{"", "Handels"}, {"", "Spedition"}, {"", "Import"}, {"", "Logistik"}, {"", "Elektronik"}, {"", "Textilhandel"}};
constexpr LegalForm kDeForms[] = {{{"", "GmbH"}, false}, {{"", "GmbH & Co. KG"}, false}, {{"", "AG"}, false}, {{"", "e.K."}, false}};
constexpr City kDeCities[] = {{{"", "Hamburg"}, "2####"}, {{"", "Bremen"}, "28###"}, {{"", "Duisburg"}, "47###"}, {{"", "Frankfurt am Main"}, "60###"}, {{"", "München"}, "80###"}, {{"", "Berlin"}, "1####"}, {{"", "Leipzig"}, "04###"}, {{"", "Köln"}, "50###"}};
constexpr Word kDeStreets[] = {{"", "Hafenstraße"}, {"", "Industriestraße"}, {"", "Am Sandtorkai"}, {"", "Lagerstraße"}, {"", "Hauptstraße"}};

constexpr Word kNlStems[] = {{"", "Maas"}, {"", "Van der Berg"}, {"", "Oranje"}, {"", "Delta"}, {"", "Holland"}, {"", "De Vries"}};
constexpr Word kNlIndustries[] = {{"", "Trading"}, {"", "Logistics"}, {"", "Expeditie"}, {"", "Import"}};
constexpr LegalForm kNlForms[] = {{{"", "B.V.|BV"}, false}, {{"", "N.V.|NV"}, false}};
constexpr City kNlCities[] = {{{"", "Rotterdam"}, "30## @@"}, {{"", "Amsterdam"}, "10## @@"}, {{"", "Venlo"}, "59## @@"}, {{"", "Tilburg"}, "50## @@"}};
constexpr Word kNlStreets[] = {{"", "Waalhaven Oostzijde"}, {"", "Europaweg"}, {"", "Havenstraat"}, {"", "Industrieweg"}};

constexpr Word kBeStems[] = {{"", "Scheldt"}, {"", "Flanders"}, {"", "Antwerp Trade"}, {"", "Peeters"}, {"", "Janssens"}};
constexpr Word kBeIndustries[] = {{"", "Logistics"}, {"", "Import"}, {"", "Forwarding"}};
constexpr LegalForm kBeForms[] = {{{"", "BV|bv"}, false}, {{"", "NV|nv"}, false}, {{"", "SRL|srl"}, false}};
constexpr City kBeCities[] = {{{"", "Antwerpen|Antwerp"}, "20##"}, {{"", "Gent|Ghent"}, "90##"}, {{"", "Liège"}, "40##"}, {{"", "Bruxelles|Brussels"}, "10##"}};
constexpr Word kBeStreets[] = {{"", "Noorderlaan"}, {"", "Haven"}, {"", "Rue de l'Industrie"}};

constexpr Word kPlStems[] = {{"", "Kowalski"}, {"", "Nowak"}, {"", "Wisła"}, {"", "Bałtyk"}, {"", "Polimex"}, {"", "Mazowsze"}, {"", "Orzeł"}, {"", "Pomorze"}};
constexpr Word kPlIndustries[] = {{"", "Trans"}, {"", "Handel"}, {"", "Import-Export"}, {"", "Logistyka"}, {"", "Meble"}};
constexpr LegalForm kPlForms[] = {{{"", "Sp. z o.o.|sp. z o.o."}, false}, {{"", "S.A."}, false}, {{"", "Sp.j."}, false}};
constexpr City kPlCities[] = {{{"", "Warszawa|Warsaw"}, "0#-###"}, {{"", "Gdańsk"}, "80-###"}, {{"", "Łódź"}, "9#-###"}, {{"", "Poznań"}, "6#-###"}, {{"", "Biała Podlaska"}, "21-500"}, {{"", "Lublin"}, "20-###"}};
constexpr Word kPlStreets[] = {{"", "ul. Przemysłowa"}, {"", "ul. Marszałkowska"}, {"", "ul. Portowa"}, {"", "al. Jerozolimskie"}};

constexpr Word kLtStems[] = {{"", "Baltijos prekyba"}, {"", "Nemuno transportas"}, {"", "Vilniaus logistika"}, {"", "Girteka"}, {"", "Šiaurės vėjas"}};
constexpr LegalForm kLtForms[] = {{{"", "UAB"}, true}, {{"", "AB"}, true}};
constexpr City kLtCities[] = {{{"", "Vilnius"}, "LT-0####"}, {{"", "Kaunas"}, "LT-4####"}, {{"", "Klaipėda"}, "LT-9####"}};
constexpr Word kLtStreets[] = {{"", "Savanorių pr."}, {"", "Minijos g."}, {"", "Pramonės g."}};

constexpr Word kLvStems[] = {{"", "Baltic Cargo"}, {"", "Daugava"}, {"", "Rīgas Tranzīts"}, {"", "Latvijas Koks"}};
constexpr LegalForm kLvForms[] = {{{"", "SIA"}, true}, {{"", "AS"}, true}};
constexpr City kLvCities[] = {{{"", "Rīga|Riga"}, "LV-10##"}, {{"", "Daugavpils"}, "LV-54##"}};
constexpr Word kLvStreets[] = {{"", "Krasta iela"}, {"", "Brīvības iela"}};

constexpr Word kEeStems[] = {{"", "Tallinna Kaubandus"}, {"", "Põhjala"}, {"", "Läänemere"}};
constexpr LegalForm kEeForms[] = {{{"", "OÜ"}, false}, {{"", "AS"}, false}};
constexpr City kEeCities[] = {{{"", "Tallinn"}, "1####"}, {{"", "Tartu"}, "5####"}};
constexpr Word kEeStreets[] = {{"", "Peterburi tee"}, {"", "Pärnu mnt"}};

constexpr Word kHuStems[] = {{"", "Duna"}, {"", "Tisza"}, {"", "Pannon"}, {"", "Hungaro"}, {"", "Kovács és Társa"}};
constexpr Word kHuIndustries[] = {{"", "Kereskedelmi"}, {"", "Logisztikai"}, {"", "Trans"}};
constexpr LegalForm kHuForms[] = {{{"", "Kft.|Kft"}, false}, {{"", "Zrt.|Zrt"}, false}};
constexpr City kHuCities[] = {{{"", "Budapest"}, "1###"}, {{"", "Szeged"}, "67##"}, {{"", "Győr"}, "90##"}, {{"", "Záhony"}, "4625"}};
constexpr Word kHuStreets[] = {{"", "Váci út"}, {"", "Ipari út"}, {"", "Kossuth Lajos utca"}};

constexpr Word kCzStems[] = {{"", "Vltava"}, {"", "Morava Trade"}, {"", "Bohemia"}, {"", "Novák"}};
constexpr LegalForm kCzForms[] = {{{"", "s.r.o."}, false}, {{"", "a.s."}, false}};
constexpr City kCzCities[] = {{{"", "Praha|Prague"}, "1## ##"}, {{"", "Brno"}, "6## ##"}, {{"", "Ostrava"}, "7## ##"}};
constexpr Word kCzStreets[] = {{"", "Průmyslová"}, {"", "Na Příkopě"}, {"", "Vídeňská"}};

constexpr Word kSkStems[] = {{"", "Tatra"}, {"", "Dunaj"}, {"", "Slovtrans"}};
constexpr LegalForm kSkForms[] = {{{"", "s.r.o."}, false}, {{"", "a.s."}, false}};
constexpr City kSkCities[] = {{{"", "Bratislava"}, "8## ##"}, {{"", "Košice"}, "04# ##"}};
constexpr Word kSkStreets[] = {{"", "Priemyselná"}, {"", "Einsteinova"}};

constexpr Word kRoStems[] = {{"", "Carpați"}, {"", "Dunărea"}, {"", "Transilvania"}, {"", "Ionescu"}};
constexpr Word kRoIndustries[] = {{"", "Impex"}, {"", "Logistic"}, {"", "Comerț"}};
constexpr LegalForm kRoForms[] = {{{"", "S.R.L.|SRL"}, false}, {{"", "S.A."}, false}};
constexpr City kRoCities[] = {{{"", "București|Bucharest"}, "0#####"}, {{"", "Constanța"}, "90####"}, {{"", "Cluj-Napoca"}, "400###"}};
constexpr Word kRoStreets[] = {{"", "Bulevardul Unirii"}, {"", "Strada Industriilor"}};

constexpr Word kAtStems[] = {{"", "Alpen"}, {"", "Donau"}, {"", "Wiener"}, {"", "Steirer"}};
constexpr Word kAtIndustries[] = {{"", "Handels"}, {"", "Spedition"}, {"", "Import"}};
constexpr LegalForm kAtForms[] = {{{"", "GmbH"}, false}, {{"", "AG"}, false}};
constexpr City kAtCities[] = {{{"", "Wien|Vienna"}, "1###"}, {{"", "Linz"}, "40##"}, {{"", "Graz"}, "80##"}};
constexpr Word kAtStreets[] = {{"", "Handelskai"}, {"", "Industriestraße"}};

constexpr Word kFrStems[] = {{"", "Atlantique"}, {"", "Rhône"}, {"", "Dubois"}, {"", "Seine"}, {"", "Provence"}};
constexpr Word kFrIndustries[] = {{"", "Import"}, {"", "Distribution"}, {"", "Logistique"}};
constexpr LegalForm kFrForms[] = {{{"", "SAS"}, false}, {{"", "SARL"}, false}, {{"", "S.A."}, false}};
constexpr City kFrCities[] = {{{"", "Le Havre"}, "76###"}, {{"", "Lyon"}, "690##"}, {{"", "Paris"}, "750##"}, {{"", "Marseille"}, "130##"}};
constexpr Word kFrStreets[] = {{"", "Rue de la République"}, {"", "Quai de Saône"}, {"", "Boulevard de Strasbourg"}};

constexpr Word kItStems[] = {{"", "Adriatica"}, {"", "Lombarda"}, {"", "Rossi"}, {"", "Ligure"}, {"", "Veneta"}};
constexpr Word kItIndustries[] = {{"", "Import"}, {"", "Commerciale"}, {"", "Trasporti"}};
constexpr LegalForm kItForms[] = {{{"", "S.r.l.|Srl"}, false}, {{"", "S.p.A.|SpA"}, false}};
constexpr City kItCities[] = {{{"", "Milano|Milan"}, "201##"}, {{"", "Genova|Genoa"}, "161##"}, {{"", "Trieste"}, "341##"}, {{"", "Prato"}, "59100"}};
constexpr Word kItStreets[] = {{"", "Via Roma"}, {"", "Via dell'Industria"}, {"", "Corso Italia"}};

constexpr Word kEsStems[] = {{"", "Ibérica"}, {"", "Mediterránea"}, {"", "García"}, {"", "Levante"}};
constexpr Word kEsIndustries[] = {{"", "Importaciones"}, {"", "Comercial"}, {"", "Logística"}};
constexpr LegalForm kEsForms[] = {{{"", "S.L.|SL"}, false}, {{"", "S.A."}, false}};
constexpr City kEsCities[] = {{{"", "Valencia"}, "46###"}, {{"", "Barcelona"}, "08###"}, {{"", "Madrid"}, "28###"}};
constexpr Word kEsStreets[] = {{"", "Calle Mayor"}, {"", "Avenida del Puerto"}, {"", "Polígono Industrial"}};

constexpr Word kFiStems[] = {{"", "Pohjola"}, {"", "Suomen Kauppa"}, {"", "Kotka"}};
constexpr LegalForm kFiForms[] = {{{"", "Oy"}, false}, {{"", "Oyj"}, false}};
constexpr City kFiCities[] = {{{"", "Helsinki"}, "00###"}, {{"", "Kotka"}, "48###"}};
constexpr Word kFiStreets[] = {{"", "Satamatie"}, {"", "Teollisuuskatu"}};

constexpr Word kDkStems[] = {{"", "Nordic Orient"}, {"", "Kattegat"}, {"", "Jutland"}};
constexpr Word kDkIndustries[] = {{"", "Line"}, {"", "Shipping"}};
constexpr LegalForm kDkForms[] = {{{"", "A/S"}, false}, {{"", "ApS"}, false}};
constexpr City kDkCities[] = {{{"", "København|Copenhagen"}, "1###"}, {{"", "Aarhus"}, "8###"}};
constexpr Word kDkStreets[] = {{"", "Esplanaden"}, {"", "Havnegade"}};

constexpr Word kNone[] = {{"", ""}};

template <std::size_t N>
constexpr std::span<const Word> w(const Word (&a)[N]) { return {a, N}; }
constexpr std::span<const Word> none() { return {}; }

const std::vector<NameProfile>& all_profiles() {
  static const std::vector<NameProfile> profiles = [] {
    std::vector<NameProfile> p;
    auto add = [&](NameProfile profile) { p.push_back(profile); };
    const NameStyle L = NameStyle::kLatin;
    add({"RU", "Cyrl", NameStyle::kCyrillic, false, w(kRuMale), none(), w(kRuPatronymic), none(), w(kRuSurnames), w(kRuStems), none(), kRuForms, kRuSole, kRuCities, w(kRuStreets), "{s}, д. {n}", "{s}, d. {n}"});
    add({"BY", "Cyrl", NameStyle::kCyrillic, false, w(kByMale), none(), w(kByPatronymic), none(), w(kBySurnames), w(kByStems), none(), kByForms, kRuSole, kByCities, w(kByStreets), "{s}, д. {n}", "{s}, d. {n}"});
    add({"UA", "Cyrl", NameStyle::kCyrillic, false, w(kUaMale), w(kUaFemale), w(kUaPatronymic), w(kUaPatronymicF), w(kUaSurnames), w(kUaStems), none(), kUaForms, kUaSole, kUaCities, w(kUaStreets), "{s}, буд. {n}", "{s}, bud. {n}"});
    add({"CN", "Hans", NameStyle::kHan, true, w(kCnMale), w(kCnFemale), none(), none(), w(kCnSurnames), w(kCnStems), w(kCnIndustries), kCnForms, {}, kCnCities, w(kCnStreets), "{s}{n}号", "No. {n} {s}"});
    add({"KR", "Hang", NameStyle::kHangul, true, w(kKrMale), w(kKrFemale), none(), none(), w(kKrSurnames), w(kKrStems), w(kKrIndustries), kKrForms, {}, kKrCities, w(kKrStreets), "{s} {n}", "{n} {s}"});
    add({"VN", "Latn", NameStyle::kVietnamese, true, w(kVnMale), w(kVnFemale), w(kVnMiddleMale), w(kVnMiddleFemale), w(kVnSurnames), w(kVnStems), w(kVnIndustries), kVnForms, {}, kVnCities, w(kVnStreets), "Số {n} đường {s}", "No. {n} {s} Street"});
    add({"TR", "Latn", NameStyle::kFolded, false, w(kTrMale), w(kTrFemale), none(), none(), w(kTrSurnames), w(kTrStems), w(kTrIndustries), kTrForms, {}, kTrCities, w(kTrStreets), "{s} No: {n}", "{s} No: {n}"});
    add({"AE", "Arab", NameStyle::kArabic, false, w(kAeMale), w(kAeFemale), w(kAeMiddle), w(kAeMiddleF), w(kAeSurnames), w(kAeStems), w(kAeIndustries), kAeForms, {}, kAeCities, w(kAeStreets), "{s}، مكتب {n}", "Office {n}, {s}"});
    add({"GR", "Grek", NameStyle::kGreek, false, w(kGrMale), none(), none(), none(), w(kGrSurnames), w(kGrStems), w(kGrIndustries), kGrForms, {}, kGrCities, w(kGrStreets), "{s} {n}", "{s} {n}"});
    add({"BG", "Cyrl", NameStyle::kBulgarian, false, w(kBgMale), none(), none(), none(), w(kBgSurnames), w(kBgStems), w(kBgIndustries), kBgForms, {}, kBgCities, w(kBgStreets), "{s} {n}", "{s} {n}"});
    add({"RS", "Latn", NameStyle::kFolded, false, w(kRsMale), w(kRsFemale), none(), none(), w(kRsSurnames), w(kRsStems), w(kRsIndustries), kRsForms, {}, kRsCities, w(kRsStreets), "{s} {n}", "{s} {n}"});
    add({"IN", "Latn", L, false, w(kInMale), w(kInFemale), none(), none(), w(kInSurnames), w(kInStems), w(kInIndustries), kInForms, {}, kInCities, w(kInStreets), "", "{n}, {s}"});
    add({"BD", "Latn", L, false, none(), none(), none(), none(), none(), w(kBdStems), w(kBdIndustries), kBdForms, {}, kBdCities, w(kBdStreets), "", "{n} {s}"});
    add({"US", "Latn", L, false, w(kUsMale), none(), none(), none(), w(kUsSurnames), w(kUsStems), w(kUsIndustries), kUsForms, {}, kUsCities, w(kUsStreets), "", "{n} {s}"});
    add({"GB", "Latn", L, false, w(kGbMale), none(), none(), none(), w(kGbSurnames), w(kGbStems), w(kGbIndustries), kGbForms, {}, kGbCities, w(kGbStreets), "", "{n} {s}"});
    add({"MY", "Latn", L, false, none(), none(), none(), none(), none(), w(kMyStems), w(kMyIndustries), kMyForms, {}, kMyCities, w(kMyStreets), "", "Lot {n}, {s}"});
    add({"BR", "Latn", NameStyle::kFolded, false, none(), none(), none(), none(), none(), w(kBrStems), w(kBrIndustries), kBrForms, {}, kBrCities, w(kBrStreets), "{s}, {n}", "{s}, {n}"});
    add({"DE", "Latn", L, false, none(), none(), none(), none(), none(), w(kDeStems), w(kDeIndustries), kDeForms, {}, kDeCities, w(kDeStreets), "", "{s} {n}"});
    add({"NL", "Latn", L, false, none(), none(), none(), none(), none(), w(kNlStems), w(kNlIndustries), kNlForms, {}, kNlCities, w(kNlStreets), "", "{s} {n}"});
    add({"BE", "Latn", L, false, none(), none(), none(), none(), none(), w(kBeStems), w(kBeIndustries), kBeForms, {}, kBeCities, w(kBeStreets), "", "{s} {n}"});
    add({"PL", "Latn", L, false, none(), none(), none(), none(), none(), w(kPlStems), w(kPlIndustries), kPlForms, {}, kPlCities, w(kPlStreets), "", "{s} {n}"});
    add({"LT", "Latn", L, false, none(), none(), none(), none(), none(), w(kLtStems), none(), kLtForms, {}, kLtCities, w(kLtStreets), "", "{s} {n}"});
    add({"LV", "Latn", L, false, none(), none(), none(), none(), none(), w(kLvStems), none(), kLvForms, {}, kLvCities, w(kLvStreets), "", "{s} {n}"});
    add({"EE", "Latn", L, false, none(), none(), none(), none(), none(), w(kEeStems), none(), kEeForms, {}, kEeCities, w(kEeStreets), "", "{s} {n}"});
    add({"HU", "Latn", L, false, none(), none(), none(), none(), none(), w(kHuStems), w(kHuIndustries), kHuForms, {}, kHuCities, w(kHuStreets), "", "{s} {n}."});
    add({"CZ", "Latn", L, false, none(), none(), none(), none(), none(), w(kCzStems), none(), kCzForms, {}, kCzCities, w(kCzStreets), "", "{s} {n}"});
    add({"SK", "Latn", L, false, none(), none(), none(), none(), none(), w(kSkStems), none(), kSkForms, {}, kSkCities, w(kSkStreets), "", "{s} {n}"});
    add({"RO", "Latn", L, false, none(), none(), none(), none(), none(), w(kRoStems), w(kRoIndustries), kRoForms, {}, kRoCities, w(kRoStreets), "", "{s} nr. {n}"});
    add({"AT", "Latn", L, false, none(), none(), none(), none(), none(), w(kAtStems), w(kAtIndustries), kAtForms, {}, kAtCities, w(kAtStreets), "", "{s} {n}"});
    add({"FR", "Latn", L, false, none(), none(), none(), none(), none(), w(kFrStems), w(kFrIndustries), kFrForms, {}, kFrCities, w(kFrStreets), "", "{n} {s}"});
    add({"IT", "Latn", L, false, none(), none(), none(), none(), none(), w(kItStems), w(kItIndustries), kItForms, {}, kItCities, w(kItStreets), "", "{s} {n}"});
    add({"ES", "Latn", L, false, none(), none(), none(), none(), none(), w(kEsStems), w(kEsIndustries), kEsForms, {}, kEsCities, w(kEsStreets), "", "{s} {n}"});
    add({"FI", "Latn", L, false, none(), none(), none(), none(), none(), w(kFiStems), none(), kFiForms, {}, kFiCities, w(kFiStreets), "", "{s} {n}"});
    add({"DK", "Latn", L, false, none(), none(), none(), none(), none(), w(kDkStems), w(kDkIndustries), kDkForms, {}, kDkCities, w(kDkStreets), "", "{s} {n}"});
    (void)kNone;
    return p;
  }();
  return profiles;
}

}  // namespace

bool has_profile(std::string_view country) {
  for (const auto& p : all_profiles()) {
    if (p.country == country) return true;
  }
  return false;
}

const NameProfile& profile_for(std::string_view country) {
  for (const auto& p : all_profiles()) {
    if (p.country == country) return p;
  }
  throw std::logic_error("no name profile for country " + std::string(country));
}

}  // namespace cordon::simulation::detail
