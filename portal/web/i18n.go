package web

import (
	"net/http"
	"strconv"
	"strings"
)

// Languages the portal speaks; the first is the default.
const (
	English = "en"
	Chinese = "zh-CN"
)

// messages holds each text of the pages in English and Chinese.
var messages = map[string][2]string{
	"portal":            {"Government disclosure portal", "政务信息公开平台"},
	"tagline":           {"What the shared ledger of the government agencies records, for everyone to read and check.", "各部门共享账本记录的信息，人人可查、可核验。"},
	"home":              {"Home", "首页"},
	"spending":          {"Spending", "财政支出"},
	"verify":            {"Verify a document", "文件核验"},
	"cases":             {"Court cases", "案件公开"},
	"resources":         {"Learning resources", "学习资源"},
	"oversight":         {"Oversight", "监督"},
	"login":             {"Log in", "登录"},
	"logout":            {"Log out", "退出"},
	"account":           {"Account", "账号"},
	"password":          {"Password", "密码"},
	"badLogin":          {"Unknown account or wrong password.", "账号或密码错误。"},
	"oversightOnly":     {"These pages are for the oversight body's staff. Log in with an account of the oversight organisation.", "本页面仅供监督机构工作人员使用，请使用监督机构账号登录。"},
	"language":          {"中文", "English"},
	"channels":          {"Channels", "通道"},
	"channel":           {"Channel", "通道"},
	"blocks":            {"Blocks", "区块"},
	"block":             {"Block", "区块"},
	"transactions":      {"Transactions", "交易"},
	"transaction":       {"Transaction", "交易"},
	"valid":             {"valid", "有效"},
	"invalid":           {"invalid", "无效"},
	"height":            {"Height", "高度"},
	"lastHash":          {"Last block hash", "最新区块哈希"},
	"records":           {"Records", "记录"},
	"fiscalYear":        {"Fiscal year", "财政年度"},
	"byAgency":          {"By agency", "按部门"},
	"byFunction":        {"By function (COFOG)", "按功能分类（COFOG）"},
	"byEconomic":        {"By economic code", "按经济分类"},
	"byAdministrative":  {"By administrative unit", "按行政单位"},
	"budgetLines":       {"Budget lines", "预算项目"},
	"appropriation":     {"Budget line", "预算项目"},
	"allocation":        {"Allocation", "预算分配"},
	"allocations":       {"Allocations", "预算分配"},
	"disbursement":      {"Payment", "支付"},
	"disbursements":     {"Payments", "支付记录"},
	"payee":             {"Payee", "收款方"},
	"payees":            {"Payees", "收款方"},
	"reversals":         {"Reversals", "冲正"},
	"reversal":          {"Reversal", "冲正"},
	"approvals":         {"Approvals", "批准"},
	"approvedBy":        {"Approved by", "批准方"},
	"executed":          {"Executed", "已执行"},
	"proposed":          {"Proposed", "已提出"},
	"reason":            {"Reason", "理由"},
	"appropriated":      {"Appropriated", "预算额"},
	"allocated":         {"Allocated", "已分配"},
	"spent":             {"Spent", "已支出"},
	"remaining":         {"Remaining", "余额"},
	"executionRate":     {"Executed", "执行率"},
	"amount":            {"Amount", "金额"},
	"agency":            {"Agency", "部门"},
	"purpose":           {"Purpose", "用途"},
	"title":             {"Title", "名称"},
	"code":              {"Code", "代码"},
	"id":                {"ID", "编号"},
	"date":              {"Date", "日期"},
	"status":            {"Status", "状态"},
	"invoice":           {"Invoice (SHA-256)", "发票（SHA-256）"},
	"procurement":       {"Procurement reference", "采购编号"},
	"registration":      {"Registration number", "统一社会信用代码"},
	"reversed":          {"reversed", "已冲正"},
	"recorded":          {"Recorded on the ledger", "上链记录"},
	"upTo":              {"Up to its budget line", "向上追溯至预算项目"},
	"downTo":            {"Payments under it", "下属支付"},
	"download":          {"Download", "下载"},
	"next":              {"Next page", "下一页"},
	"none":              {"Nothing recorded yet.", "暂无记录。"},
	"notFound":          {"Not found", "未找到"},
	"notFoundText":      {"The ledger has no such record.", "账本中没有该记录。"},
	"error":             {"Something went wrong", "出错了"},
	"verifyIntro":       {"Choose or drop a diploma, an invoice, an evidence file or course material. Your browser computes its SHA-256 fingerprint; the file never leaves your computer. The portal then says whether the ledger knows that fingerprint.", "选择或拖入毕业证书、发票、证据文件或课程资料。浏览器在本地计算其 SHA-256 指纹，文件不会上传。平台随后告诉您账本中是否登记了该指纹。"},
	"chooseFile":        {"Choose a file", "选择文件"},
	"dropHere":          {"or drop it here", "或拖到此处"},
	"hashing":           {"Computing the fingerprint…", "正在计算指纹…"},
	"fingerprint":       {"SHA-256 fingerprint", "SHA-256 指纹"},
	"orPaste":           {"Or paste a SHA-256 fingerprint", "或粘贴 SHA-256 指纹"},
	"check":             {"Check", "核验"},
	"foundOnLedger":     {"Registered on the ledger", "账本中已登记"},
	"notOnLedger":       {"Not registered: the ledger knows no document with this fingerprint. A copy that differs by a single byte has another fingerprint.", "未登记：账本中没有此指纹的文件。哪怕只改动一个字节，指纹也会不同。"},
	"revokedWarning":    {"Revoked: this document was withdrawn by its issuer.", "已撤销：该文件已被签发机构撤销。"},
	"diploma":           {"Diploma", "学历证书"},
	"degree":            {"Degree", "学位"},
	"issuer":            {"Issuer", "签发机构"},
	"evidence":          {"Evidence", "证据"},
	"case":              {"Case", "案件"},
	"court":             {"Court", "法院"},
	"caseType":          {"Case type", "案由"},
	"parties":           {"Parties (by reference)", "当事人（编号）"},
	"custody":           {"Chain of custody", "保管链"},
	"notarisations":     {"Notarisations", "公证"},
	"submitted":         {"Submitted", "提交"},
	"mediaType":         {"Media type", "类型"},
	"size":              {"Size", "大小"},
	"description":       {"Description", "说明"},
	"action":            {"Action", "操作"},
	"by":                {"By", "操作方"},
	"sealedNote":        {"Party names and sealed content are kept in a private collection and are never shown here.", "当事人姓名与封存内容保存在私有数据集合中，不在此公开。"},
	"author":            {"Author", "作者"},
	"institution":       {"Institution", "机构"},
	"licence":           {"Licence", "许可"},
	"accreditations":    {"Accredited universities", "认证高校"},
	"explorer":          {"Ledger explorer", "账本浏览器"},
	"peers":             {"Heights per peer", "各节点高度"},
	"chaincodes":        {"Chaincode definitions", "链码定义"},
	"version":           {"Version", "版本"},
	"sequence":          {"Sequence", "序列号"},
	"policy":            {"Endorsement policy", "背书策略"},
	"collections":       {"Private data collections", "私有数据集合"},
	"ledgerUnreachable": {"The ledger cannot be reached right now", "暂时无法连接账本"},
	"creator":           {"Submitted by", "提交方"},
	"endorsers":         {"Endorsers", "背书节点"},
	"function":          {"Function", "函数"},
	"validation":        {"Validation", "验证结果"},
	"writeSet":          {"Write set", "写集"},
	"key":               {"Key", "键"},
	"value":             {"Value", "值"},
	"privateHash":       {"private: hashes only", "私有数据：仅哈希"},
	"keyPolicies":       {"Key-level endorsement policies", "键级背书策略"},
	"event":             {"Chaincode event", "链码事件"},
	"liveFeed":          {"Live feed", "实时动态"},
	"liveIntro":         {"New transactions of every channel appear here as the portal records them.", "各通道新交易一经记录即在此显示。"},
	"transcripts":       {"Transcripts", "成绩单"},
	"studentRef":        {"Student reference", "学生编号（哈希）"},
	"credits":           {"Credits", "学分"},
	"recognitions":      {"Recognitions", "学分互认"},
	"accessLog":         {"Access to sealed evidence", "封存证据访问记录"},
	"accessRequests":    {"Access requests", "访问申请"},
	"reader":            {"Reader", "访问方"},
	"grantee":           {"Grantee", "被授权方"},
	"previousHash":      {"Previous hash", "前一区块哈希"},
	"dataHash":          {"Data hash", "数据哈希"},
	"time":              {"Time", "时间"},
	"problem":           {"Problem", "问题"},
	"older":             {"Older", "更早"},
	"summaryIntro":      {"Every amount below is read from the finance ledger's running totals; every payment leads up to its budget line.", "以下金额均来自财政账本的累计数据，每笔支付都可追溯到其预算项目。"},
	"feedConnected":     {"connected", "已连接"},
	"feedWaiting":       {"connecting…", "连接中…"},
	"totals":            {"Totals", "合计"},
	"findings":          {"Audit findings", "审计意见"},
	"severity":          {"Severity", "严重程度"},
	"evidenceItems":     {"Evidence items", "证据"},
	"opened":            {"Opened", "立案"},
	"api":               {"JSON API", "JSON 接口"},
	"recordedAt":        {"Recorded", "记录时间"},
	"txShort":           {"Tx", "交易"},
	"kind":              {"Kind", "类别"},
	"note":              {"Note", "备注"},
	"counterparty":      {"Counterparty", "对方"},
	"notary":            {"Notary", "公证员"},
	"statement":         {"Statement", "声明"},
	"transactionType":   {"Transaction type", "交易类型"},
	"filter":            {"Filter", "筛选"},
	"all":               {"all", "全部"},
	"checkpoint":        {"Read model at block", "读取模型高度"},
}

// translate returns the text of key in lang; the key itself when there is
// none, so that a missing text shows rather than vanishes.
func translate(lang, key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if lang == Chinese {
		return m[1]
	}
	return m[0]
}

// langCookie keeps the visitor's choice of language.
const langCookie = "lang"

// language chooses the page's language: ?lang= (and remember it), else the
// remembered choice, else the browser's Accept-Language.
func language(w http.ResponseWriter, r *http.Request) string {
	if q := r.URL.Query().Get("lang"); q != "" {
		lang := normalise(q)
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
		return lang
	}
	if c, err := r.Cookie(langCookie); err == nil {
		return normalise(c.Value)
	}
	return fromAcceptLanguage(r.Header.Get("Accept-Language"))
}

func normalise(tag string) string {
	if strings.HasPrefix(strings.ToLower(tag), "zh") {
		return Chinese
	}
	return English
}

// fromAcceptLanguage picks Chinese or English by the highest-weighted of
// them in an Accept-Language header, English when neither appears.
func fromAcceptLanguage(header string) string {
	best, bestQ := English, -1.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		tag = strings.ToLower(strings.TrimSpace(tag))
		var lang string
		switch {
		case strings.HasPrefix(tag, "zh"):
			lang = Chinese
		case strings.HasPrefix(tag, "en"):
			lang = English
		default:
			continue
		}
		if q > bestQ {
			best, bestQ = lang, q
		}
	}
	return best
}
