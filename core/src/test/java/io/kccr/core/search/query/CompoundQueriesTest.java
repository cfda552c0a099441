package io.kccr.core.search.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.Test;

class CompoundQueriesTest {

    @Test
    void minimumShouldMatchArithmetic() {
        assertThat(CompoundQueries.minimumShouldMatch(3, "2")).isEqualTo(2);
        assertThat(CompoundQueries.minimumShouldMatch(3, "-1")).isEqualTo(2);
        assertThat(CompoundQueries.minimumShouldMatch(4, "75%")).isEqualTo(3);
        assertThat(CompoundQueries.minimumShouldMatch(4, "-25%")).isEqualTo(3);
        assertThat(CompoundQueries.minimumShouldMatch(3, "3<90%")).isEqualTo(3);
        assertThat(CompoundQueries.minimumShouldMatch(5, "3<90%")).isEqualTo(4);
        assertThat(CompoundQueries.minimumShouldMatch(10, "2<-25% 9<-3")).isEqualTo(7);
        assertThat(CompoundQueries.minimumShouldMatch(2, "-5")).isEqualTo(0);
    }

    @Test
    void onlyMustNotClausesMatchEverythingElse() {
        Query negative = new BooleanQuery.Builder().add(new TermQuery(new Term("f", "x")), Occur.MUST_NOT).build();
        assertThat(CompoundQueries.fixNegativeQuery(negative).toString()).isEqualTo("-f:x #*:*");
        Query mixed = new BooleanQuery.Builder().add(new TermQuery(new Term("f", "x")), Occur.MUST_NOT)
                .add(new TermQuery(new Term("f", "y")), Occur.SHOULD).build();
        assertThat(CompoundQueries.fixNegativeQuery(mixed)).isSameAs(mixed);
    }
}
